"""Prepare the blind answering of the calibration set, and turn the answers into folders.

    python tests/calibration/blind.py packets OUT   # what a blind respondent sees
    python tests/calibration/blind.py folders ANSWERS [OUT]  # answers -> assessment folders

`packets` writes, per organisation, a brief without the expected phase, the
rationale or the hard-case tags (only the description and the personas), and
the shipped intake (latest version) in each language as plain text the way
the terminal interview shows it: questions in order, statements numbered 1-5,
0 for don't know (also on profile questions, as the interview offers it),
profile options by id, and the routing as a paper form states it. Nothing
about scoring is in it.

`folders` reads one answer file per organisation (`<slug>.yaml`: respondents
r1.. with answers by question id) and writes an assessment folder per
organisation with `expected:` and `acceptable:` from the organisation file,
into OUT (default tests/calibration/assessments/).
Answers to questions the routing skips are dropped (as the interview would
never have asked them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from klantladder.loading import load_shipped_questionnaire  # noqa: E402
from klantladder.models.base import localize  # noqa: E402
from klantladder.models.questionnaire import (  # noqa: E402
    LadderQuestion,
    LikertQuestion,
    OpenQuestion,
    ProfileQuestion,
    Questionnaire,
)

UNKNOWN_TEXT = {"nl": "weet niet / niet van toepassing", "en": "don't know / not applicable"}
ROUTE_TEXT = {
    "nl": (
        "Alleen beantwoorden als je bij vraag {gate} koos: {options}.",
        "Overslaan als je bij vraag {gate} koos: {options}.",
    ),
    "en": (
        "Answer only if you chose at question {gate}: {options}.",
        "Skip if you chose at question {gate}: {options}.",
    ),
}


def questionnaire_text(questionnaire: Questionnaire, language: str) -> str:
    """The questionnaire as a respondent reads it, with the id of every question."""
    method = questionnaire.content
    lines = [localize(questionnaire.title, language), ""]
    if questionnaire.description:
        lines += [localize(questionnaire.description, language), ""]
    numbers = {q.id: n for n, q in enumerate(questionnaire.questions, start=1)}
    for number, question in enumerate(questionnaire.questions, start=1):
        lines.append(f"{number}. [{question.id}] {localize(question.text, language)}")
        if question.help:
            lines.append(f"   ({localize(question.help, language)})")
        when = getattr(question, "when", None)
        if when is not None:
            gate = questionnaire.question(when.question)
            wanted = when.in_ if when.in_ else when.not_in
            labels = []
            for value in wanted or []:
                if isinstance(gate, ProfileQuestion):
                    option = next(o for o in gate.options if o.id == value)
                    labels.append(f"'{localize(option.label, language)}' ({value})")
                else:
                    labels.append(str(value))
            template = ROUTE_TEXT[language][0 if when.in_ else 1]
            lines.append("   " + template.format(gate=numbers[gate.id], options=", ".join(labels)))
        if isinstance(question, LadderQuestion):
            for level, statement in question.statements.items():
                lines.append(f"   {level} = {localize(statement, language)}")
            lines.append(f"   0 = {UNKNOWN_TEXT[language]}")
        elif isinstance(question, LikertQuestion):
            for level, label in method.answer_labels.agreement.items():
                lines.append(f"   {level} = {localize(label, language)}")
            lines.append(f"   0 = {UNKNOWN_TEXT[language]}")
        elif isinstance(question, ProfileQuestion):
            for option in question.options:
                lines.append(f"   {option.id} = {localize(option.label, language)}")
            if question.multiple:
                lines.append("   (several may be chosen: give a list)")
            if question.allow_unknown:
                lines.append(f"   0 = {UNKNOWN_TEXT[language]}")
        elif isinstance(question, OpenQuestion):
            lines.append("   (open answer, in the respondent's own words)")
        lines.append("")
    return "\n".join(lines)


def brief(organisation: dict[str, Any]) -> str:
    """The organisation as the respondents know it: no expected phase, no rationale."""
    keep = {k: organisation[k] for k in ("id", "name", "sector", "employees", "language")}
    keep["description"] = organisation["description"]
    keep["respondents"] = organisation["respondents"]
    return yaml.safe_dump(keep, sort_keys=False, allow_unicode=True, width=100)


def packets(out: Path) -> None:
    """Write briefs and the questionnaire texts."""
    out.mkdir(parents=True, exist_ok=True)
    for language in ("nl", "en"):
        questionnaire = load_shipped_questionnaire("intake", language)
        (out / f"questionnaire.{language}.txt").write_text(
            questionnaire_text(questionnaire, language), encoding="utf-8"
        )
    for path in sorted((HERE / "organisations").glob("*.yaml")):
        organisation = yaml.safe_load(path.read_text(encoding="utf-8"))
        (out / f"{path.stem}.brief.yaml").write_text(brief(organisation), encoding="utf-8")


def folders(answers_dir: Path, target: Path, questionnaire_id: str = "intake") -> None:
    """Turn answer files into assessment folders under ``target``.

    With ``questionnaire_id`` quickscan, the same answers make quick scan
    folders: the quick scan asks a subset of the intake's questions, so only
    those answers are kept.
    """
    from klantladder.routing import without_routed_out

    for path in sorted(answers_dir.glob("*.yaml")):
        organisation = yaml.safe_load((HERE / "organisations" / path.name).read_text("utf-8"))
        answered = yaml.safe_load(path.read_text(encoding="utf-8"))
        language = organisation["language"]
        questionnaire = load_shipped_questionnaire(questionnaire_id, language)
        asked = {question.id for question in questionnaire.questions}
        folder = target / organisation["id"]
        (folder / "responses").mkdir(parents=True, exist_ok=True)
        assessment = {
            "organisation": organisation["name"],
            "sector": organisation["sector"],
            "date": dt.date(2026, 11, 23).isoformat(),
            "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
            "language": language,
            "expected": organisation["expected"],
        }
        if organisation["acceptable"]:
            assessment["acceptable"] = organisation["acceptable"]
        (folder / "assessment.yaml").write_text(
            yaml.safe_dump(assessment, sort_keys=False, allow_unicode=True), encoding="utf-8"
        )
        for respondent, answers in answered["respondents"].items():
            cleaned = {}
            for question_id, value in answers.items():
                if question_id not in asked:
                    continue
                question = questionnaire.question(question_id)
                if value in (0, "0", None) and not isinstance(question, OpenQuestion):
                    cleaned[question_id] = "unknown"
                elif value in (None, ""):
                    continue
                else:
                    cleaned[question_id] = value
            kept, _ = without_routed_out(questionnaire, cleaned)
            response = {
                "respondent": respondent,
                "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
                "answers": kept,
            }
            (folder / "responses" / f"{respondent}.yaml").write_text(
                yaml.safe_dump(response, sort_keys=False, allow_unicode=True, width=100),
                encoding="utf-8",
            )


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("step", choices=["packets", "folders"])
    parser.add_argument("path", type=Path)
    parser.add_argument("out", type=Path, nargs="?", default=HERE / "assessments")
    parser.add_argument("--questionnaire", default="intake", help="intake or quickscan")
    arguments = parser.parse_args()
    if arguments.step == "packets":
        packets(arguments.path)
    else:
        folders(arguments.path, arguments.out, arguments.questionnaire)


if __name__ == "__main__":
    main()
