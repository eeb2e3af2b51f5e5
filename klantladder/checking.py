"""``klantladder validate``: check any klantladder file or assessment folder."""

from __future__ import annotations

from pathlib import Path

from klantladder.actions import ACTIONS_FILE, load_actions
from klantladder.errors import InputError
from klantladder.folder import (
    ASSESSMENT_FILE,
    RESPONSES_DIR,
    check_answers,
    load_assessment,
    load_assessment_file,
    questionnaire_for,
)
from klantladder.loading import load_method, load_questionnaire_file, load_shipped_questionnaire
from klantladder.models.assessment import Assessment, Response
from klantladder.models.brand import Brand
from klantladder.models.method import Method
from klantladder.notes import NOTES_FILE, load_notes
from klantladder.report.brand import assessment_brand, load_brand
from klantladder.store.batch import read_batch
from klantladder.store.layout import BATCH_SUFFIX, key_file
from klantladder.validation import validate_document
from klantladder.yamlsource import load_yaml_file

# The key that tells each kind of file apart, checked in this order.
_KIND_KEYS = (
    ("questions", "questionnaire"),
    ("phases", "method"),
    ("organisation", "assessment"),
    ("answers", "response"),
    ("respondent", "response"),
)


def check_file(path: Path) -> str:
    """Validate a file (its kind told by its keys) or an assessment folder.

    Returns a one-line description of what was checked; raises `InputError`
    with every problem found.
    """
    if path.is_dir():
        folder = load_assessment(path)
        if folder.assessment.privacy == "anonymous" and key_file(path).exists():
            raise InputError.single(
                key_file(path),
                "this assessment is anonymous, so it keeps no key file; delete it (or set "
                "privacy: pseudonymous in assessment.yaml if names are to be kept)",
            )
        brand = assessment_brand(path, None, folder.assessment.brand)  # its logo too
        consultant = _consultant_files(path, folder.questionnaire.content)
        return (
            f"assessment of {folder.assessment.organisation}: {len(folder.responses)} "
            f"responses to {folder.questionnaire.id} v{folder.questionnaire.version}{consultant}"
            + (f", brand {brand.brand.name}" if folder.assessment.brand else "")
        )
    if path.name == NOTES_FILE:
        notes = load_notes(path.parent)
        return "notes" + (" with a conclusion" if notes and notes.conclusion else "")
    if path.suffix.lower() == BATCH_SUFFIX and path.parent.name == RESPONSES_DIR:
        home = path.parent.parent
        assessment_document, assessment = load_assessment_file(home)
        questionnaire = questionnaire_for(home, assessment_document, assessment)
        rows, problems = read_batch(path, questionnaire, home)
        if problems:
            raise InputError(problems)
        return f"import batch: {len(rows)} responses"
    document = load_yaml_file(path)
    data = document.data
    kind = next((kind for key, kind in _KIND_KEYS if isinstance(data, dict) and key in data), None)
    if isinstance(data, dict) and set(data) == {"actions"}:
        home = path.parent
        if not (home / ASSESSMENT_FILE).is_file():
            raise InputError(
                [document.problem((), "an action plan is checked in its assessment folder")]
            )
        questionnaire = questionnaire_for(home, *load_assessment_file(home))
        plan = load_actions(home, questionnaire.content)
        return f"action plan: {len(plan.actions) if plan else 0} actions"
    if kind == "questionnaire":
        questionnaire = load_questionnaire_file(path)
        return (
            f"questionnaire {questionnaire.id} v{questionnaire.version} "
            f"({', '.join(questionnaire.languages)}): {len(questionnaire.questions)} questions, "
            f"{len(questionnaire.content.dimensions)} dimensions"
        )
    if kind == "method":
        method = load_method(path)
        return f"method {method.id} v{method.version}: {len(method.dimensions)} dimensions"
    if kind == "assessment":
        assessment = validate_document(document, Assessment)
        questionnaire_for(path.parent, document, assessment)
        return f"assessment of {assessment.organisation}"
    if kind == "response":
        response = validate_document(document, Response)
        home = path.parent.parent
        if path.parent.name == RESPONSES_DIR and (home / ASSESSMENT_FILE).is_file():
            assessment_document, assessment = load_assessment_file(home)
            questionnaire = questionnaire_for(home, assessment_document, assessment)
        else:
            reference = response.questionnaire
            questionnaire = load_shipped_questionnaire(reference.id, None, reference.version)
        problems = check_answers(document, response, questionnaire)
        if path.stem != response.respondent:
            problems.append(
                document.problem(
                    ("respondent",),
                    f"the file of respondent {response.respondent!r} must be named "
                    f"{response.respondent}{path.suffix}",
                )
            )
        if problems:
            raise InputError(problems)
        return f"response of {response.respondent}: {len(response.answers)} answers"
    if isinstance(data, dict) and "name" in data and set(data) <= set(Brand.model_fields):
        loaded = load_brand(path)
        return f"brand {loaded.brand.name}" + (
            f" with logo {loaded.logo.name}" if loaded.logo else ""
        )
    raise InputError(
        [
            document.problem(
                (),
                "cannot tell what this file is: expected a questionnaire (questions), method "
                "(phases), assessment (organisation), response (answers) or brand (name)",
            )
        ]
    )


def _consultant_files(folder: Path, method: Method) -> str:
    """Check notes.md and actions.yaml of a folder; say what was found."""
    found = []
    if load_notes(folder) is not None:
        found.append(NOTES_FILE)
    if load_actions(folder, method) is not None:
        found.append(ACTIONS_FILE)
    return f"; {', '.join(found)}" if found else ""
