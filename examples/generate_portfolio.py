"""Generate the example portfolio: scored results of fictional organisations.

Run from the repository root (with klantladder installed)::

    python examples/generate_portfolio.py

Writes examples/portfolio/<organisation>.json, the format of
``klantladder score DIR --json -o FILE``, deterministically from
examples/portfolio.source.yaml.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import sys
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent
sys.path.insert(0, str(EXAMPLES))

from generate_example import answers_for, load_yaml  # noqa: E402

from klantladder.diagnosis.findings import FindingSources, key_findings  # noqa: E402
from klantladder.loading import load_questionnaire, shipped_questionnaire_file  # noqa: E402
from klantladder.models.assessment import Assessment, QuestionnaireRef, Response  # noqa: E402
from klantladder.report.environment import report_labels  # noqa: E402
from klantladder.scoring import score  # noqa: E402

SOURCE = EXAMPLES / "portfolio.source.yaml"
OUT = EXAMPLES / "portfolio"


def slug(name: str) -> str:
    """A file name for an organisation."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def generate(out: Path = OUT) -> list[Path]:
    """Score every organisation of the source and write its JSON result."""
    source = load_yaml(SOURCE)
    language = source["language"]
    version = source["questionnaire_version"]
    questionnaire = load_questionnaire(source["questionnaire"], language, version)
    raw = load_yaml(shipped_questionnaire_file(source["questionnaire"], language, version))
    reference = QuestionnaireRef(id=questionnaire.id, version=questionnaire.version)
    rng = random.Random(source["seed"])
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for organisation in source["organisations"]:
        model = dict(source["model"])
        model["baseline"] = {
            dimension: level + organisation.get("shift", 0.0) + organisation.get(dimension, 0.0)
            for dimension, level in source["model"]["baseline"].items()
        }
        responses = []
        for index in range(source["respondents"]):
            profile = {q.id: rng.choice(q.options).id for q in questionnaire.profile_questions}
            answers = answers_for(rng, raw, model, {"profile": profile})
            responses.append(
                Response(respondent=f"r{index:02d}", questionnaire=reference, answers=answers)
            )
        assessment = Assessment(
            organisation=organisation["name"],
            date=dt.date.fromisoformat(str(organisation["date"])),
            questionnaire=reference,
            language=language,
        )
        result = score(questionnaire, responses, assessment)
        # as `klantladder score --json` gives it: with the key findings (no open answers here)
        findings = key_findings(
            FindingSources(questionnaire, responses, result), report_labels(language)
        )
        result = result.model_copy(update={"findings": findings})
        path = out / f"{slug(organisation['name'])}.json"
        path.write_text(result.model_dump_json(indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    print(f"wrote {len(generate())} results to {OUT}")
