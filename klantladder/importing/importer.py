"""The import itself: read an export, map it, check every row, settle identities, commit.

All or nothing: every row is read and checked before the store writes
anything, and on any problem nothing is written. Rows that are no real
respondent (previews, tests, partial responses unless asked for, rows without
answers) are skipped and counted, never a reason to refuse the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

from klantladder.errors import InputError, Problem
from klantladder.fileio import write_atomic
from klantladder.folder import load_assessment_file, load_responses, questionnaire_for
from klantladder.importing.answers import AnswerReader
from klantladder.importing.drafting import draft_entries, render_mapping
from klantladder.importing.layout import Layout, Role, Tool, detect_layout
from klantladder.importing.mapping import QuestionIndex, load_mapping, resolve
from klantladder.importing.rows import ImportRow, RowReader
from klantladder.importing.settle import Resolver, settle
from klantladder.importing.summary import ImportSummary
from klantladder.importing.table import Sheet, read_sheet
from klantladder.loading import load_questionnaire_file
from klantladder.models.assessment import Assessment, ResponseSource
from klantladder.models.questionnaire import Questionnaire
from klantladder.progress import step
from klantladder.resources import questionnaires_dir
from klantladder.routing import Router
from klantladder.store import IncomingResponse, commit_import
from klantladder.store.batch import answers_as_stored

# How tools name a download after its form: "Survey (Responses).csv",
# "results-survey123456.csv", "Form title(1-25).xlsx".
_GOOGLE_NAME = re.compile(r"^(?P<form>.+?) \((?:Responses|Antwoorden|Reacties|Formulierreacties)\)")
_LIMESURVEY_NAME = re.compile(r"^results-survey(?P<sid>\d+)")


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
    layout = detect_layout(sheet, tool, ids)
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
    problems = []
    for column in layout.questions():
        if column.header:
            continue
        if any(sheet.cell(row, column.index) for row in range(layout.data_start, len(sheet.rows))):
            problems.append(
                Problem(
                    sheet.name, layout.key_row, column.number, "column has answers but no header"
                )
            )
    if problems:
        raise InputError(problems)


def form_of(export: Path, layout: Layout) -> str | None:
    """The form or survey an export came from, where the export or its file name says."""
    if layout.title:
        return layout.title
    stem = export.stem
    if layout.tool == "limesurvey" and (match := _LIMESURVEY_NAME.match(stem)):
        return f"survey {match['sid']}"
    if layout.tool == "googleforms" and (match := _GOOGLE_NAME.match(stem)):
        return match["form"]
    return None


def import_export(
    folder: Path,
    export: Path,
    tool: Tool | None = None,
    mapping: Path | None = None,
    *,
    include_partial: bool = False,
    keep_contact: bool = False,
    dry_run: bool = False,
    resolver: Resolver | None = None,
) -> ImportSummary:
    """Import a survey tool's CSV or XLSX export into an assessment folder.

    The tool and layout are detected from the headers unless ``tool`` is given.
    Every row is checked before anything is written; on any problem nothing is
    written and `InputError` lists each problem with its row and column. A
    response imported before is recognised by its identity key and left alone,
    or updated when the export holds a newer edit. Rows with the same key but
    other answers and nothing to tell which is newer are refused, unless
    ``resolver`` chooses. Contact columns are dropped unless ``keep_contact``;
    with ``dry_run`` the summary is computed and nothing is written.
    """
    with step(f"reading {export.name}"):
        prepared = _prepare(folder, export, tool)
    layout, sheet = prepared.layout, prepared.sheet
    loaded = load_mapping(mapping, prepared.questionnaire) if mapping else None
    targets = resolve(layout, prepared.index, loaded, sheet.name)
    stored, problems = load_responses(folder, prepared.questionnaire)
    if problems:
        raise InputError(problems)
    source = ResponseSource(tool=layout.tool, file=export.name, form=form_of(export, layout))
    reader = AnswerReader(prepared.variants, layout.tool)
    row_reader = RowReader(
        sheet,
        layout,
        targets,
        prepared.questionnaire,
        reader,
        source,
        include_partial=include_partial,
    )
    with step("checking every row"):
        rows = row_reader.read()
    if rows.problems:
        raise InputError(rows.problems)
    counted = len(rows.rows) + len(rows.test) + len(rows.partial) + len(rows.empty)
    if counted == 0:
        raise InputError.single(sheet.name, "the export holds no responses")
    id_column = layout.first(Role.RESPONSE_ID) or layout.first(Role.RESPONDENT)
    cleaned, dropped = _as_stored(prepared.questionnaire, rows.rows)
    settled = settle(cleaned, stored, resolver, sheet.name, id_column.number if id_column else 1)
    if settled.problems:
        raise InputError(settled.problems)
    incoming = [
        IncomingResponse(
            row.key, row.revision, row.response, row.contact if keep_contact else {}, row.legacy
        )
        for row in settled.rows
    ]
    not_asked = sum(dropped.get(row.row, 0) for row in settled.rows)
    with step(f"saving {len(incoming):,} responses"):
        outcome = commit_import(folder, incoming, keep_contact=keep_contact, dry_run=dry_run)
    return ImportSummary(
        tool=layout.tool,
        export=export,
        layout=layout.description,
        header_row=layout.header_row + 1,
        rows=counted,
        added=outcome.added,
        updated=outcome.updated,
        unchanged=outcome.unchanged + settled.kept_stored,
        duplicates=settled.duplicates,
        superseded=settled.superseded,
        test=len(rows.test),
        partial=len(rows.partial),
        partial_included=len(rows.partial_included),
        empty=len(rows.empty),
        forgotten=outcome.forgotten,
        contact_columns=tuple(rows.contact_columns),
        contact_kept=keep_contact,
        dry_run=dry_run,
        written=outcome.written,
        notes=tuple(sheet.notes),
        title=layout.title,
        not_asked=not_asked,
    )


def _as_stored(
    questionnaire: Questionnaire, rows: list[ImportRow]
) -> tuple[list[ImportRow], dict[int, int]]:
    """The rows with their answers as the store keeps them, and how many each lost by routing.

    A survey tool that honours the routing leaves the answers to questions a
    respondent is not asked empty; one that does not (a form typed in without
    its branching) still collects them, and they must not count. They are left
    out and counted, never refused. Rows are compared with each other and with
    the folder only after this clean-up (`answers_as_stored`, the store's own),
    so importing one export twice finds every row already there.
    """
    questions = {question.id: question for question in questionnaire.questions}
    router = Router(questionnaire)
    cleaned: list[ImportRow] = []
    dropped: dict[int, int] = {}
    for row in rows:
        answers, out = answers_as_stored(row.response.answers, questions, router)
        if out:
            dropped[row.row] = len(out)
        if answers != row.response.answers:
            row = replace(row, response=row.response.model_copy(update={"answers": answers}))
        cleaned.append(row)
    return cleaned, dropped


def make_mapping(
    folder: Path,
    export: Path,
    tool: Tool | None = None,
    output: Path | None = None,
    *,
    force: bool = False,
) -> Path:
    """Write a mapping file for an export, with a sane guess for each column where there is one.

    Every entry is marked ``confirmed: false``; import refuses it until a person
    has checked it. A column no question matches well enough is left open
    (``question: null``) with a comment. The file goes next to the export as
    ``<name>.mapping.yaml`` unless ``output`` is given; an existing file is kept
    unless ``force``.
    """
    prepared = _prepare(folder, export, tool)
    entries = draft_entries(prepared.layout, prepared.index, prepared.variants)
    path = output or export.with_name(f"{export.stem}.mapping.yaml")
    text = render_mapping(entries, prepared.layout, prepared.questionnaire)
    write_atomic(path, text, force=force)
    return path
