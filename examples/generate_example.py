"""Generate the example assessment folder from its source data, deterministically.

Run from the repository root after changing the intake or the source data::

    python examples/generate_example.py                # rewrites every examples/<folder>/
    python examples/generate_example.py --out /tmp/x   # the main example, elsewhere

All texts (the fictional organisation, its people and their open answers) live
in ``examples/*.source.yaml``: the intake of 2025 and, a year earlier, the
quick scan of the same company, with the consultant's notes and action plan of
2025. This script only holds the answer model. The
same source, seed and questionnaire always give byte-identical files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from klantladder.folder import GITIGNORE

EXAMPLES = Path(__file__).resolve().parent
REPO = EXAMPLES.parent
SOURCE = EXAMPLES / "koperwiek-keukens.source.yaml"
UNKNOWN = "unknown"


def load_yaml(path: Path) -> Any:
    """Read a YAML file safely."""
    with path.open(encoding="utf-8") as stream:
        return yaml.safe_load(stream)


def dump_yaml(data: Any) -> str:
    """YAML text in the style klantladder writes: keys in order, UTF-8 kept."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def matches(when: Mapping[str, str], profile: Mapping[str, str]) -> bool:
    """Whether a rule's ``when`` conditions all hold for a respondent's profile."""
    return all(profile.get(key) == value for key, value in when.items())


def perceived_levels(model: Mapping[str, Any], profile: Mapping[str, str]) -> dict[str, float]:
    """The level a respondent with this profile sees, per dimension, before noise."""
    levels = dict(model["baseline"])
    for offset in model["offsets"]:
        if not matches(offset["when"], profile):
            continue
        for dimension in levels:
            levels[dimension] += offset.get("all", 0.0) + offset.get(dimension, 0.0)
    return levels


def unknown_chance(model: Mapping[str, Any], profile: Mapping[str, str], question: str) -> float:
    """Chance that a respondent answers 'don't know' to a question."""
    chance = float(model["unknown"]["base"])
    for rule in model["unknown"]["rules"]:
        if matches(rule["when"], profile) and question in rule["questions"]:
            chance = max(chance, float(rule["p"]))
    return chance


def clamp(value: float, low: float, high: float) -> float:
    """Value limited to [low, high]."""
    return max(low, min(high, value))


def ladder_answer(level: float) -> int:
    """The statement (1-5) closest to a perceived level."""
    return int(clamp(round(level), 1, 5))


def likert_answer(level: float, evidences: int) -> int:
    """The agreement (1-5) with a statement evidencing ``evidences``, for a perceived level."""
    share = clamp((level - 1.0) / (evidences - 1), 0.0, 1.0)
    return int(clamp(round(1 + 4 * share), 1, 5))


def answers_for(
    rng: random.Random,
    questionnaire: Mapping[str, Any],
    model: Mapping[str, Any],
    person: Mapping[str, Any],
) -> dict[str, Any]:
    """One respondent's answers, in questionnaire order."""
    profile = person["profile"]
    levels = perceived_levels(model, profile)
    tilt = float(person.get("tilt", 0.0)) + rng.gauss(0.0, float(model["person_sd"]))
    # How this person sees each dimension apart from the others: the answers to one
    # dimension's questions share it, as real answers do (their Cronbach's alpha).
    own_view = {
        dimension: rng.gauss(0.0, float(model.get("dimension_sd", 0.0))) for dimension in levels
    }
    answers: dict[str, Any] = {}
    for question in questionnaire["questions"]:
        qid, kind = question["id"], question["kind"]
        if kind == "profile":
            answers[qid] = profile[qid]
        elif kind == "open":
            text = person.get("open", {}).get(qid)
            if text:
                answers[qid] = " ".join(text.split())
        else:
            # Draw every random number in a fixed order, whatever the outcome.
            noise = rng.gauss(0.0, float(model["answer_sd"]))
            dont_know = rng.random() < unknown_chance(model, profile, qid)
            dimension = question["dimension"]
            level = levels[dimension] + own_view[dimension] + tilt + noise
            if dont_know:
                answers[qid] = UNKNOWN
            elif kind == "ladder":
                answers[qid] = ladder_answer(level)
            else:
                answers[qid] = likert_answer(level, int(question["evidences_level"]))
    return answers


def generate(out: Path, source_path: Path = SOURCE) -> list[Path]:
    """Write assessment.yaml, .gitignore, responses/ and the consultant's files into ``out``.

    Returns the files written.
    """
    source = load_yaml(source_path)
    info = source["assessment"]
    language = info["language"]
    version = info["questionnaire_version"]
    name = f"{info['questionnaire']}.v{version}.{language}.yaml"
    questionnaire_path = REPO / "questionnaires" / name
    questionnaire = load_yaml(questionnaire_path)
    reference = {"id": questionnaire["id"], "version": questionnaire["version"]}
    rng = random.Random(source["seed"])

    out.mkdir(parents=True, exist_ok=True)
    responses = out / "responses"
    responses.mkdir(exist_ok=True)
    for stale in responses.glob("*.yaml"):
        stale.unlink()

    written = [out / "assessment.yaml"]
    assessment = {
        "organisation": info["organisation"],
        "sector": info["sector"],
        "date": str(info["date"]),
        "questionnaire": reference,
        "language": language,
        "assessor": info["assessor"],
        "privacy": "pseudonymous",
    }
    written[0].write_text(dump_yaml(assessment), encoding="utf-8")
    # As 'klantladder init' writes it: names (none here) and reports stay out of git.
    (out / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    written.append(out / ".gitignore")

    timing = source["timing"]
    start = dt.datetime.fromisoformat(timing["first_start"])
    shortest, longest = timing["duration_minutes"]
    for person in source["respondents"]:
        started = start + dt.timedelta(minutes=rng.randint(0, 40))
        completed = started + dt.timedelta(minutes=rng.randint(shortest, longest))
        start += dt.timedelta(minutes=timing["minutes_between_starts"])
        response = {
            "respondent": person["id"],
            "questionnaire": reference,
            "started": started.isoformat(),
            "completed": completed.isoformat(),
            "answers": answers_for(rng, questionnaire, source["model"], person),
        }
        path = responses / f"{person['id']}.yaml"
        path.write_text(dump_yaml(response), encoding="utf-8")
        written.append(path)
    written += write_consultant_files(out, source.get("consultant"))
    return written


def write_consultant_files(out: Path, consultant: Mapping[str, Any] | None) -> list[Path]:
    """The consultant's notes.md and actions.yaml, when the source has them."""
    if not consultant:
        return []
    written = []
    if "notes" in consultant:
        notes = out / "notes.md"
        notes.write_text(consultant["notes"], encoding="utf-8")
        written.append(notes)
    if "actions" in consultant:
        actions = out / "actions.yaml"
        actions.write_text(dump_yaml({"actions": consultant["actions"]}), encoding="utf-8")
        written.append(actions)
    return written


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write only the main example, to this folder")
    args = parser.parse_args()
    if args.out:
        print(f"wrote {len(generate(args.out))} files to {args.out}")
        return
    for source_path in sorted(EXAMPLES.glob("*.source.yaml")):
        source = load_yaml(source_path)
        if "folder" not in source:  # the portfolio's source, see generate_portfolio.py
            continue
        out = EXAMPLES / source["folder"]
        print(f"wrote {len(generate(out, source_path))} files to {out}")


if __name__ == "__main__":
    main()
