"""The import itself: read an export, map it, check every row, then write responses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from klantladder.errors import InputError, Problem
from klantladder.fileio import dump_yaml, write_atomic
from klantladder.folder import load_assessment_file, load_responses, questionnaire_for
from klantladder.importing.answers import AnswerReader
from klantladder.importing.layout import (
    TOOL_NAMES,
    Layout,
    Role,
    Tool,
    detect_layout,
    detect_tool,
)
from klantladder.importing.mapping import QuestionIndex, draft_mapping, load_mapping, resolve
from klantladder.importing.rows import RowReader, known_responses
from klantladder.importing.table import Sheet, read_sheet
from klantladder.loading import load_questionnaire_file
from klantladder.models.assessment import Assessment, Response
from klantladder.models.questionnaire import Questionnaire
from klantladder.progress import step
from klantladder.resources import questionnaires_dir
from klantladder.store import ImportOutcome, IncomingResponse, commit_import

MAPPING_HEADER = """\
# klantladder mapping: which question each column of the export answers.
# Check every entry: fix `question` (and `option`) where the guess is wrong, set
# `question: null` for a column to ignore, then set `confirmed: true`.
# `match` says how alike header and question text are (1.0 = the same).
# Import refuses entries that are not confirmed."""


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    tool: Tool
    export: Path
    added: tuple[str, ...]
    duplicates: int
    notes: tuple[str, ...]
    outcome: ImportOutcome
    contacts: int = 0
    """Respondents whose name or contact details the export held (kept or dropped)."""

    @property
    def tool_name(self) -> str:
        """The tool's name as people know it."""
        return TOOL_NAMES[self.tool]


@dataclass(frozen=True)
class _Prepared:
    folder: Path
    assessment: Assessment
    questionnaire: Questionnaire
    variants: list[Questionnaire]
    sheet: Sheet
    layout: Layout
    index: QuestionIndex


def _prepare(folder: Path, export: Path, tool: Tool | None) -> _Prepared:
    document, assessment = load_assessment_file(folder)
    questionnaire = questionnaire_for(folder, document, assessment)
    variants = language_variants(questionnaire, assessment)
    sheet = read_sheet(export)
    ids = {question.id for question in questionnaire.questions}
    chosen = tool or detect_tool(sheet, ids)
    header_rows = 3 if chosen == "qualtrics" else 1
    if len(sheet.rows) < header_rows or not any(c.strip() for c in sheet.rows[0]):
        raise InputError.single(sheet.name, "the file has no header row", 1, 1)
    layout = detect_layout(sheet, chosen, ids)
    _check_headers(sheet, layout)
    return _Prepared(
        folder,
        assessment,
        questionnaire,
        variants,
        sheet,
        layout,
        QuestionIndex(questionnaire, variants),
    )


def language_variants(questionnaire: Questionnaire, assessment: Assessment) -> list[Questionnaire]:
    """The questionnaire in every language there is, so answers may come in any of them.

    A shipped questionnaire comes as one file per language; a questionnaire file
    of one's own holds its languages itself.
    """
    variants = [questionnaire]
    if assessment.questionnaire.file is None:
        for path in sorted(questionnaires_dir().glob(f"{questionnaire.id}.*.yaml")):
            variant = load_questionnaire_file(path)
            if variant.id == questionnaire.id and variant.version == questionnaire.version:
                variants.append(variant)
    return variants


def _check_headers(sheet: Sheet, layout: Layout) -> None:
    seen: dict[str, int] = {}
    problems = []
    for column in layout.columns:
        if not column.header and column.role is Role.QUESTION:
            if any(
                sheet.cell(row, column.index) for row in range(layout.header_rows, len(sheet.rows))
            ):
                problems.append(
                    Problem(sheet.name, 1, column.number, "column has answers but no header")
                )
            continue
        key = column.key
        if key in seen:
            problems.append(
                Problem(
                    sheet.name,
                    layout.header_rows if column.import_id else 1,
                    column.number,
                    f"duplicate column {column.header!r} (also column {seen[key]}); give every "
                    f"question a distinct title",
                )
            )
        seen.setdefault(key, column.number)
    if problems:
        raise InputError(problems)


def import_export(
    folder: Path,
    export: Path,
    tool: Tool | None = None,
    mapping: Path | None = None,
    *,
    keep_contact: bool = False,
    dry_run: bool = False,
) -> ImportReport:
    """Import a survey tool's CSV or XLSX export into an assessment folder's responses.

    The tool is detected from the headers unless given. Every row is checked
    before anything is written; on any problem nothing is written and
    `InputError` lists each problem with its row and column. Rows imported
    before (same tool and response id, or the same row when the tool has no
    ids) are skipped. Names found in the export go into the key file with
    ``keep_contact`` and are dropped otherwise; see `commit_import`.
    """
    with step(f"reading {export.name}"):
        prepared = _prepare(folder, export, tool)
    loaded = load_mapping(mapping, prepared.questionnaire) if mapping else None
    targets = resolve(prepared.layout, prepared.index, loaded, prepared.sheet.name)
    existing, problems = load_responses(folder, prepared.questionnaire)
    if problems:
        raise InputError(problems)
    reader = AnswerReader(prepared.variants, prepared.layout.tool)
    row_reader = RowReader(
        prepared.sheet,
        prepared.layout,
        targets,
        prepared.questionnaire,
        reader,
        known_responses(existing),
        export.name,
    )
    with step("checking every row"):
        rows = row_reader.read()
    if rows.problems:
        raise InputError(rows.problems)
    if not rows.responses and not rows.duplicates:
        raise InputError.single(prepared.sheet.name, "the export holds no responses")
    incoming = [
        IncomingResponse(
            key=_identity_key(response),
            revision=None,
            response=response,
            contact={"name": response.name} if response.name else {},
        )
        for response in rows.responses
    ]
    with step(f"saving {len(incoming):,} responses"):
        outcome = commit_import(folder, incoming, keep_contact=keep_contact, dry_run=dry_run)
    return ImportReport(
        prepared.layout.tool,
        export,
        outcome.added,
        rows.duplicates + outcome.unchanged,
        tuple(prepared.sheet.notes),
        outcome,
        sum(1 for item in incoming if item.contact),
    )


def _identity_key(response: Response) -> str:
    source = response.source
    if source is None:
        return ""
    return source.key or source.response_id or source.row_hash or ""


def make_mapping(
    folder: Path,
    export: Path,
    tool: Tool | None = None,
    output: Path | None = None,
    *,
    force: bool = False,
) -> Path:
    """Write a mapping file for an export, with the best question for each column.

    Every entry is marked ``confirmed: false``; import refuses it until a person
    has checked it. The file goes next to the export as ``<name>.mapping.yaml``
    unless ``output`` is given; an existing file is kept unless ``force``.
    """
    prepared = _prepare(folder, export, tool)
    draft = draft_mapping(prepared.layout, prepared.index, prepared.variants)
    path = output or export.with_name(f"{export.stem}.mapping.yaml")
    data = draft.model_dump(mode="json", exclude_none=True)
    for entry in data["columns"]:
        entry.setdefault("question", None)
    write_atomic(path, dump_yaml(data, header=MAPPING_HEADER), force=force)
    return path
