"""The large or binary part of the hostile corpus, generated at test time.

The small hostile files are committed under ``tests/fixtures/hostile/``; this
script writes the ones that are large (100,000 nested brackets, a 12,000 x
12,000 pixel PNG, files just over a size limit), binary (NUL bytes, Latin-1)
or derived from the test questionnaire (names that carry rich markup and
terminal escapes). ``python tests/hostile_corpus.py DIR`` writes them to DIR.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from PIL import Image

from klantladder.limits import MAX_TEMPLATE_BYTES, MAX_YAML_BYTES

FIXTURES = Path(__file__).parent / "fixtures"
COMMITTED = FIXTURES / "hostile"
DEEP = 100_000

# What a terminal must never receive raw: clear the screen, set the window
# title, write the clipboard (OSC 52), and rich markup that closes a tag.
ORGANISATION = "ACME [/bold] \\e[2J\\e]0;owned\\a\\e]52;c;SGVsbG8=\\a"
DIMENSION_TITLE = "[/]\\e]0;pwned\\a"


def _write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    return path


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (width, height)).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), "#336699").save(buffer, format="JPEG")
    return buffer.getvalue()


def generate(root: Path) -> Path:
    """Write the generated part of the corpus under ``root``; return ``root``."""
    _write(root / "yaml/deep-flow.yaml", "a: " + "[" * DEEP + "]" * DEEP + "\n")
    _write(root / "yaml/deep-flow-mapping.yaml", "{a: " * DEEP + "1" + "}" * DEEP + "\n")
    _write(root / "yaml/deep-block.yaml", "- " * DEEP + "x\n")
    _write(root / "yaml/deep-indent.yaml", "".join(" " * i + "k:\n" for i in range(200)) + "v\n")
    _write(root / "yaml/too-big.yaml", "# " + "x" * (MAX_YAML_BYTES - 2) + "\n")
    _write(root / "yaml/nul-byte.yaml", b"id: a\x00b\n")
    _write(root / "yaml/latin1.yaml", "title: caf\u00e9\n".encode("latin-1"))
    _write(root / "json/deep.json", "[" * DEEP + "]" * DEEP)
    _write(root / "json/deep-in-strings.json", '{"a": "' + "[" * DEEP + '", "b": [[[1]]]}')
    _write(root / "json/latin1.json", '{"a": "caf\u00e9"}'.encode("latin-1"))
    _write(root / "logos/huge.png", _png(12_000, 12_000))
    _write(root / "logos/truncated.png", _png(200, 100)[:60])
    _write(root / "logos/jpeg-named.png", _jpeg())
    _write(root / "templates/latin1/report.html", "<p>caf\u00e9</p>".encode("latin-1"))
    _write(
        root / "templates/deep-parens/report.html", "{{ " + "(" * DEEP + "1" + ")" * DEEP + " }}"
    )
    _write(root / "templates/too-big/report.html", "x" * (MAX_TEMPLATE_BYTES + 1))
    _terminal(root / "terminal")
    return root


def _terminal(root: Path) -> None:
    """Two assessments whose names carry markup and escapes, for score and compare."""
    _write(root / "q.yaml", (FIXTURES / "mini.yaml").read_text(encoding="utf-8"))
    method = (FIXTURES / "mini-method.yaml").read_text(encoding="utf-8")
    assert "    title: Leadership\n" in method
    method = method.replace("    title: Leadership\n", f'    title: "{DIMENSION_TITLE}"\n')
    _write(root / "mini-method.yaml", method)
    for year in (2024, 2025):
        folder = root / f"acme-{year}"
        _write(
            folder / "assessment.yaml",
            f'organisation: "{ORGANISATION}"\ndate: {year}-03-01\n'
            "questionnaire: {id: mini, version: 1, file: ../q.yaml}\nlanguage: en\n",
        )
        for respondent in ("r1", "r2", "r3"):
            _write(
                folder / "responses" / f"{respondent}.yaml",
                f"respondent: {respondent}\nquestionnaire: {{id: mini, version: 1}}\n"
                "answers: {lead.1: 3, lead.2: 4, listen.1: 2, act.1: 3}\n",
            )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/hostile_corpus.py DIR")
    print(generate(Path(sys.argv[1])))
