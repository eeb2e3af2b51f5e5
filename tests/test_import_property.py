"""The heart of it: after any imports, in any order and repeated, one respondent each.

Each export below is listed with the real respondents it holds. Several hold
the same people: a form downloaded in Dutch and in English, as CSV or as the
linked sheet, Qualtrics with and without its preview rows, a Typeform CSV and
its Google Sheets integration. Whatever sequence of imports hypothesis
chooses, the folder must hold exactly the distinct real respondents seen.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from importhelpers import IMPORTS, bilingual_folder, respondents

from klantladder.importing import import_export


def people(prefix: str, *numbers: int) -> frozenset[str]:
    return frozenset(f"{prefix}{number}" for number in numbers)


# export, mapping, the real respondents it holds
EXPORTS: list[tuple[str, str | None, frozenset[str]]] = [
    ("msforms/nl.csv", "msforms/nl.mapping.yaml", people("forms-nl", 1, 2, 3)),
    # the same Dutch form, downloaded by someone whose Forms speaks English
    ("msforms/nl-english-ui.csv", "msforms/nl.mapping.yaml", people("forms-nl", 1, 2, 3)),
    ("msforms/en.csv", None, people("forms-en", 1, 2, 3)),
    ("msforms/second-form.csv", None, people("forms-b", 1, 2, 3)),
    ("msforms/edits-before.csv", None, people("forms-c", 1, 2, 3)),
    ("msforms/edits-after.csv", None, people("forms-c", 1, 2, 3, 4)),
    ("googleforms/forms-nl.csv", None, people("google", 1, 2, 3, 4)),
    ("googleforms/sheet-nl.csv", None, people("google", 1, 2, 3, 4)),
    ("googleforms/nl.csv", None, people("google", 1, 2, 3)),
    ("googleforms/sheet-before.csv", None, people("google-b", 1, 2)),
    (
        "googleforms/sheet-after.csv",
        "googleforms/sheet-after.mapping.yaml",
        people("google-b", 1, 2, 3),
    ),
    ("qualtrics/nl.csv", None, people("qualtrics-nl", 1, 2, 3)),
    ("qualtrics/en.csv", "qualtrics/en.mapping.yaml", people("qualtrics-en", 1, 2, 3)),
    ("qualtrics/previews.csv", None, people("qualtrics-en", 1, 2, 3)),
    ("qualtrics/legacy.csv", None, people("legacy", 2, 3, 5)),
    ("qualtrics/insights.csv", None, people("insights", 2, 3, 5)),
    ("limesurvey/nl.csv", None, people("lime-nl", 1, 2, 3)),
    ("limesurvey/en.csv", None, people("lime-en", 1, 2, 3)),
    ("limesurvey/results-survey834512.csv", None, people("lime-a", 1, 2, 5)),
    ("limesurvey/results-survey834512-later.csv", None, people("lime-a", 1, 2, 3, 5)),
    ("limesurvey/results-survey512377.csv", None, people("lime-b", 1, 2)),
    ("typeform/en.csv", None, people("typeform-en", 1, 2, 3)),
    ("typeform/nl.csv", None, people("typeform-nl", 1, 2, 3)),
    ("typeform/current.csv", "typeform/current.mapping.yaml", people("typeform-c", 1, 2, 3)),
    ("typeform/sheets.csv", "typeform/sheets.mapping.yaml", people("typeform-c", 1, 2, 3)),
    ("surveymonkey/en.csv", None, people("monkey-en", 1, 2, 3)),
    ("surveymonkey/nl.csv", None, people("monkey-nl", 1, 2, 3)),
    ("csv/nl.csv", None, people("csv-nl", 1, 2, 3)),
    ("csv/en-cp1252.csv", None, people("csv-en", 1, 2, 3)),
]


def _typeform_mapping(root: Path, fixture: str) -> Path:
    """The old Typeform layouts need a mapping of their one column per option."""
    labels = (
        ("Phone", "Chat", "Desk, shop")
        if fixture.endswith("en.csv")
        else (
            "Telefoon",
            "Chat",
            "Balie, winkel",
        )
    )
    path = root / "typeform.mapping.yaml"
    lines = ["tool: typeform", "columns:"]
    for label, option in zip(labels, ("telefoon", "chat", "balie"), strict=True):
        lines.append(
            f'  - {{column: "{label}", question: kanalen, option: {option}, confirmed: true}}'
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _mapping(root: Path, fixture: str, mapping: str | None) -> Path | None:
    if fixture in ("typeform/en.csv", "typeform/nl.csv"):
        return _typeform_mapping(root, fixture)
    return IMPORTS / mapping if mapping else None


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.integers(min_value=0, max_value=len(EXPORTS) - 1), min_size=1, max_size=6))
def test_respondents_equal_the_distinct_real_respondents(order: list[int]) -> None:
    root = Path(tempfile.mkdtemp())
    try:
        folder = bilingual_folder(root)
        seen: set[str] = set()
        for index in order:
            fixture, mapping, real = EXPORTS[index]
            summary = import_export(
                folder, IMPORTS / fixture, mapping=_mapping(root, fixture, mapping)
            )
            assert summary.accounted == summary.rows
            seen |= real
            assert respondents(folder) == len(seen), (fixture, [EXPORTS[i][0] for i in order])
    finally:
        shutil.rmtree(root)


def test_every_export_of_the_property_imports_on_its_own(tmp_path: Path) -> None:
    for number, (fixture, mapping, real) in enumerate(EXPORTS):
        folder = bilingual_folder(tmp_path, name=f"folder-{number}")
        import_export(folder, IMPORTS / fixture, mapping=_mapping(tmp_path, fixture, mapping))
        assert respondents(folder) == len(real), fixture
