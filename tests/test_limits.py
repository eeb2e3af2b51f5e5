"""The limits let honest input through and keep their promises at the boundary.

The hostile corpus (test_hostile.py) shows what is refused; these tests show
what is still accepted, exactly where each limit lies, and the semantics kept
while checking (YAML merge keys, SVG reuse, template features).
"""

from __future__ import annotations

import io
import signal
import threading
import time
from pathlib import Path

import pytest
from helpers import MINI, make_folder, write_yaml
from PIL import Image
from typer.testing import CliRunner

from klantladder.cli import app
from klantladder.cli.common import markup, visible
from klantladder.errors import InputError, RenderError
from klantladder.jsonsource import parse_json
from klantladder.limits import MAX_JSON_DEPTH, MAX_YAML_DEPTH, time_limit
from klantladder.loading import load_questionnaire
from klantladder.report.images import ImageProblem, check_image
from klantladder.report.urlpolicy import check_html
from klantladder.yamlsource import parse_yaml

runner = CliRunner()


def nested(depth: int) -> str:
    return "a: " + "[" * (depth - 1) + "]" * (depth - 1) + "\n"


def test_yaml_nesting_limit_is_exact() -> None:
    assert parse_yaml(nested(MAX_YAML_DEPTH), "ok.yaml").data == {"a": _lists(MAX_YAML_DEPTH - 1)}
    with pytest.raises(InputError, match=r"deep.yaml:1:67: nested more than 64 levels"):
        parse_yaml(nested(MAX_YAML_DEPTH + 1), "deep.yaml")


def _lists(depth: int) -> list[object]:
    value: list[object] = []
    for _ in range(depth - 1):
        value = [value]
    return value


def test_an_alias_counts_its_depth_where_it_is_used() -> None:
    text = "a: &a " + "[" * 40 + "]" * 40 + "\nb: " + "[" * 30 + "*a" + "]" * 30 + "\n"
    with pytest.raises(InputError, match=r":2:34: nested more than 64 levels deep"):
        parse_yaml(text, "alias.yaml")


def test_aliases_count_as_often_as_they_are_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("klantladder.yamlcompose.MAX_NODES", 40)
    # 1 mapping + 1 key + 1 list of 4 scalars = 7 nodes; each alias adds the list's 5
    text = "base: &b [1, 2, 3, 4]\n"
    parse_yaml(text + "c: [*b, *b, *b, *b, *b]\n", "ok.yaml")  # 7 + 1 + 1 + 25 = 34
    with pytest.raises(InputError, match=r"small.yaml:2:\d+: the document grows past 40 values"):
        parse_yaml(text + "c: [*b, *b, *b, *b, *b, *b, *b]\n", "small.yaml")


def test_merge_keys_follow_yaml_semantics() -> None:
    text = (
        "one: &one {x: 1, y: 1}\n"
        "two: &two {y: 2, z: 2}\n"
        "merged:\n  <<: [*one, *two]\n  z: 3\n"
        "single:\n  <<: *two\n  w: 4\n"
    )
    data = parse_yaml(text, "merge.yaml").data
    assert data["merged"] == {"x": 1, "y": 1, "z": 3}  # the first source wins, own keys win
    assert data["single"] == {"y": 2, "z": 2, "w": 4}


def test_only_keys_written_twice_are_duplicates() -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml("base: &b {x: 1}\nm:\n  <<: *b\n  x: 2\n  y: 1\n  y: 2\n", "dup.yaml")
    assert [str(problem) for problem in caught.value.problems] == [
        "dup.yaml:6:3: duplicate key 'y'"
    ]


def test_merging_something_else_than_a_mapping_is_a_problem() -> None:
    with pytest.raises(InputError, match=r"m.yaml:1:10: a merge key \(<<\) takes a mapping"):
        parse_yaml("m: {<<: [1]}\n", "m.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("d: 2025-02-29\n", "'2025-02-29' is not a real date or time (day is out of range"),
        ("d: 2024-02-29 25:00:00\n", "'2024-02-29 25:00:00' is not a real date or time"),
        ("d: !!binary aGVsbG8=\n", "refused: tag 'tag:yaml.org,2002:binary' is not allowed"),
    ],
)
def test_values_the_safe_constructor_cannot_build(text: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_yaml(text, "v.yaml")
    assert caught.value.problems[0].message.startswith(message)


def test_a_real_leap_day_is_a_date() -> None:
    assert str(parse_yaml("d: 2024-02-29\n", "v.yaml").data["d"]) == "2024-02-29"


def test_json_depth_limit_counts_brackets_outside_strings_only() -> None:
    inside = "[" * (MAX_JSON_DEPTH - 1) + "]" * (MAX_JSON_DEPTH - 1)
    assert parse_json(f'{{"s": "{"[" * 500}", "a": {inside}}}', "ok.json")["s"] == "[" * 500
    too_deep = '{\n  "a": ' + "[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH + "}"
    with pytest.raises(InputError, match=r"deep.json:2:71: nested more than 64 levels deep"):
        parse_json(too_deep, "deep.json")


def test_json_escaped_quotes_do_not_hide_brackets() -> None:
    text = '["\\"' + '", ' + "[" * 70 + "]" * 70 + "]"
    with pytest.raises(InputError, match="nested more than 64"):
        parse_json(text, "escape.json")


def _image(kind: str, size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    Image.new("1" if kind == "PNG" else "RGB", size).save(buffer, format=kind)
    return buffer.getvalue()


def test_images_within_the_limits_pass() -> None:
    assert check_image(_image("PNG", (5000, 5000)), "png") == "png"
    assert check_image(_image("JPEG", (300, 100)), "jpeg") == "jpeg"
    with pytest.raises(ImageProblem, match="5,001 x 5,000 pixels"):
        check_image(_image("PNG", (5001, 5000)), "png")


def test_svg_with_a_doctype_and_honest_reuse_passes() -> None:
    svg = (
        '<?xml version="1.0"?>\n'
        '<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n'
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<defs><linearGradient id="g"><stop offset="0"/></linearGradient>'
        '<g id="leaf"><path d="M0 0L1 1" fill="url(#g)"/></g></defs>'
        + '<use xlink:href="#leaf"/>' * 50
        + "<style>.a { fill: url(#g); }</style></svg>"
    )
    assert check_image(svg.encode(), "svg") == "svg"


def test_svg_element_limit_counts_references() -> None:
    group = '<g id="g">' + "<rect/>" * 99 + "</g>"
    fine = '<svg xmlns="http://www.w3.org/2000/svg">' + group + '<use href="#g"/>' * 98 + "</svg>"
    check_image(fine.encode(), "svg")  # 1 + 100 + 98 x 101 = 9,999 elements
    too_many = fine.replace("</svg>", '<use href="#g"/></svg>')
    with pytest.raises(ImageProblem, match="more than 10,000 elements"):
        check_image(too_many.encode(), "svg")


def test_the_shipped_report_meets_its_own_url_policy(tmp_path: Path) -> None:
    from klantladder.folder import load_assessment
    from klantladder.report.brand import load_brand
    from klantladder.report.render import report_html

    Image.new("RGB", (60, 20), "red").save(tmp_path / "logo.png")
    write_yaml(tmp_path / "brand.yaml", {"name": "Merk", "logo": "logo.png"})
    folder = load_assessment(Path(__file__).parent.parent / "examples" / "koperwiek-keukens")
    brand = load_brand(tmp_path / "brand.yaml")
    check_html(report_html(folder, brand=brand, inline_assets=True).html, "html")
    check_html(report_html(folder, brand=brand).html, "pdf")


def test_hyperlinks_and_fragments_are_not_fetches() -> None:
    check_html('<a href="https://klantgedreven.nl">bron</a><a href="#h1">x</a>', "html")
    with pytest.raises(RenderError, match=r"asks for https://x/y\.png"):
        check_html('<link rel="stylesheet" href="https://x/y.png">', "html")


def test_a_brand_logo_may_live_in_a_subfolder_of_the_brand_file(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    Image.new("RGB", (60, 20), "red").save(tmp_path / "assets" / "logo.png")
    write_yaml(tmp_path / "brand.yaml", {"name": "Merk", "logo": "assets/logo.png"})
    result = runner.invoke(app, ["validate", str(tmp_path / "brand.yaml")])
    assert result.exit_code == 0, result.output
    assert "brand Merk with logo logo.png" in result.stdout


def test_report_html_with_a_logo_is_self_contained(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, [{"lead.1": 3, "lead.2": 4, "listen.1": 2, "act.1": 3}] * 3)
    Image.new("RGB", (60, 20), "red").save(folder / "logo.png")
    write_yaml(folder / "brand.yaml", {"name": "Merk", "logo": "logo.png"})
    out = tmp_path / "report.html"
    args = ["report", str(folder), "--brand", str(folder / "brand.yaml"), "--format", "html"]
    result = runner.invoke(app, [*args, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "data:image/png;base64," in out.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("template", "shown"),
    [
        ("{{ 'ab' * 3 }}", "ababab"),
        ("{{ 'x'|center(5) }}", "  x  "),
        ("{{ '%5d' % 3 }}", "    3"),
        ("{{ '{:>4}'.format(7) }}", "   7"),
        ("{{ 2 ** 10 }}", "1024"),
        ("{{ 'aXa'|replace('a', 'bb') }}", "bbXbb"),
        ("{{ range(3)|join(',') }}", "0,1,2"),
        ("{{ [1, 2, 3, 4, 5]|batch(2)|list|length }}", "3"),
    ],
)
def test_the_sandbox_keeps_ordinary_template_features(template: str, shown: str) -> None:
    from klantladder.report.environment import template_environment

    assert template_environment("en").from_string(template).render() == shown


def test_the_sandbox_forbids_changing_data() -> None:
    from jinja2.exceptions import SecurityError

    from klantladder.report.environment import template_environment

    with pytest.raises(SecurityError):
        template_environment("en").from_string("{{ items.append(1) }}").render(items=[])


def test_time_limit_stops_a_loop_and_restores_the_alarm() -> None:
    previous = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    with pytest.raises(RenderError, match="too slow"), time_limit(0.2, "too slow"):
        while True:
            pass
    assert time.monotonic() - started < 2
    assert signal.getsignal(signal.SIGALRM) is previous
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)


def test_time_limit_keeps_an_outer_limit_running() -> None:
    with pytest.raises(RenderError, match="outer"), time_limit(0.3, "outer"):
        with time_limit(5, "inner"):
            pass
        while True:
            pass


def test_time_limit_outside_the_main_thread_is_no_limit() -> None:
    done: list[bool] = []

    def work() -> None:
        with time_limit(0.01, "never"):
            time.sleep(0.05)
        done.append(True)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert done == [True]


def test_visible_shows_control_characters_and_keeps_letters() -> None:
    assert visible("é ▲ —\x1b[2J\x07\n\r\t\x9b\u202e") == "é ▲ —\\x1b[2J\\x07\\n\\r\\t\\x9b\\u202e"
    assert markup("[/bold] [red]x") == "\\[/bold] \\[red]x"


def test_questionnaire_ids_and_paths_are_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "intake").mkdir()
    (tmp_path / "quickscan.yaml").mkdir()
    assert load_questionnaire("intake", "en").id == "intake"
    assert load_questionnaire(MINI).id == "mini"
    assert load_questionnaire(str(MINI)).id == "mini"
    with pytest.raises(InputError, match=r"quickscan\.yaml: is a folder"):
        load_questionnaire("quickscan.yaml")


def test_at_most_100_problems_are_shown(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text("".join(f"k{i}: !!binary x\n" for i in range(250)), encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 102
    assert lines[-2:] == ["... and 150 more problems not shown.", "250 problems found."]


def test_output_that_is_a_folder_is_refused_before_scoring(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, [{"lead.1": 3}])
    result = runner.invoke(app, ["score", str(folder), "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert result.stderr == f"{tmp_path}: is a folder; give the name of a file to write\n"


def test_the_readme_states_every_limit() -> None:
    from klantladder import limits

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Limits\n") :]
    table = table[: table.index("\n## ")]
    mib = limits.MIB
    stated = {
        f"| {limits.MAX_YAML_BYTES // mib} MiB |": "MAX_YAML_BYTES",
        f"| {limits.MAX_YAML_DEPTH} levels, aliases expanded |": "MAX_YAML_DEPTH",
        f"| {limits.MAX_YAML_NODES:,}, every alias": "MAX_YAML_NODES",
        f"| {limits.MAX_JSON_BYTES // mib} MiB, {limits.MAX_JSON_DEPTH} levels |": "MAX_JSON_*",
        f"| {limits.MAX_PORTFOLIO_RESULTS:,} |": "MAX_PORTFOLIO_RESULTS",
        f"| {limits.MAX_EXPORT_BYTES // mib} MiB |": "MAX_EXPORT_BYTES",
        f"| {limits.MAX_TEMPLATE_BYTES // mib} MiB |": "MAX_TEMPLATE_BYTES",
        f"| {limits.MAX_TEMPLATE_SECONDS} seconds |": "MAX_TEMPLATE_SECONDS",
        f"| {limits.MAX_HTML_BYTES // mib} MiB |": "MAX_HTML_BYTES",
        f"| {limits.MAX_TEMPLATE_VALUE:,} characters or items |": "MAX_TEMPLATE_VALUE",
        f"| {limits.MAX_TEMPLATE_WIDTH:,} |": "MAX_TEMPLATE_WIDTH",
        f"| {limits.MAX_LOGO_BYTES // mib} MiB |": "MAX_LOGO_BYTES",
        f"| {limits.MAX_IMAGE_PIXELS:,} pixels |": "MAX_IMAGE_PIXELS",
        f"| {limits.MAX_SVG_ELEMENTS:,} elements with every": "MAX_SVG_ELEMENTS",
        f"expanded, {limits.MAX_SVG_DEPTH} levels |": "MAX_SVG_DEPTH",
        f"| {limits.MAX_ASSET_BYTES // mib} MiB |": "MAX_ASSET_BYTES",
        f"| {limits.MAX_RENDER_SECONDS} seconds |": "MAX_RENDER_SECONDS",
        f"| {limits.MAX_PROBLEMS_SHOWN}, then a count |": "MAX_PROBLEMS_SHOWN",
    }
    missing = [name for text, name in stated.items() if text not in table]
    assert not missing, missing
