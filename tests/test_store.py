"""The data layer: batches round trip, imports commit once, the loader refuses non-responses."""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from importhelpers import bilingual_folder, saved
from storehelpers import ANSWERS, incoming, questionnaire_of

from klantladder.errors import BusyError, InputError, WriteError
from klantladder.folder import load_assessment
from klantladder.models.assessment import QuestionnaireRef, Response, ResponseSource
from klantladder.store import RespondentLock, commit_import, folder_lock, load_stored, save_response
from klantladder.store.batch import batch_bytes, read_batch
from klantladder.store.keys import load_forgotten, load_key_file
from klantladder.store.transaction import Transaction


def batch_response(respondent: str, answers: dict[str, object], **source: str) -> Response:
    return Response.model_validate(
        {
            "respondent": respondent,
            "questionnaire": {"id": "tweetalig", "version": 1},
            "started": "2026-03-05T10:00:00+01:00",
            "completed": "2026-03-05T10:09:40.250000",
            "source": {"tool": "typeform", "key": f"k-{respondent}", **source},
            "answers": answers,
        }
    )


def round_trip(folder: Path, responses: list[Response]) -> list[Response]:
    questionnaire = questionnaire_of(folder)
    path = folder / "responses" / "import-0001.csv"
    path.write_bytes(batch_bytes(questionnaire, responses))
    rows, problems = read_batch(path, questionnaire, folder)
    assert problems == []
    return [row.response for row in rows]


def test_a_batch_gives_back_exactly_what_was_written(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    tricky = [
        batch_response("typeform-0001", ANSWERS, file="a, b.csv", form='Form "NL"'),
        batch_response("typeform-0002", {"belemmering": "unknown", "leiderschap.feedback": 5}),
        batch_response("typeform-0003", {"belemmering": '=HYPERLINK("x")', "kanalen": ["chat"]}),
        batch_response("typeform-0004", {"afdeling": "unknown", "kanalen": "unknown"}),
        batch_response("typeform-0005", {"belemmering": 'regel 1\r\nregel 2, "quoted";'}),
        batch_response("typeform-0007", {"belemmering": "een\rlosse CR"}),
        batch_response("typeform-0006", {}, revision="2026-03-06T08:00:00Z"),
    ]
    back = round_trip(folder, tricky)
    assert back == tricky
    dumps = [r.model_dump(mode="json", exclude_none=True) for r in back]
    assert dumps == [r.model_dump(mode="json", exclude_none=True) for r in tricky]
    assert back[1].answers["belemmering"] == "unknown"  # text, not don't know
    assert back[1].answers["leiderschap.feedback"] == 5


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), min_size=1
    )
    .map(str.strip)
    .filter(bool),
    level=st.sampled_from([1, 2, 3, 4, 5, "unknown"]),
    channels=st.lists(st.sampled_from(["telefoon", "chat", "balie"]), min_size=1, unique=True),
)
def test_any_text_and_answer_round_trips(
    tmp_path_factory: pytest.TempPathFactory, text: str, level: object, channels: list[str]
) -> None:
    folder = bilingual_folder(tmp_path_factory.mktemp("batch"))
    response = batch_response(
        "typeform-0001",
        {"belemmering": text, "leiderschap.feedback": level, "kanalen": channels},
    )
    assert round_trip(folder, [response]) == [response]


def test_a_broken_batch_cell_is_reported_at_row_and_column(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    questionnaire = questionnaire_of(folder)
    path = folder / "responses" / "import-0001.csv"
    text = batch_bytes(questionnaire, [batch_response("typeform-0001", ANSWERS)]).decode()
    path.write_text(text.replace(",3,unknown,", ",7,unknown,"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_assessment(folder)
    assert str(caught.value) == (
        f"{path}:2:11: column 'leiderschap.feedback': '7' is not 1-5 or 'unknown'"
    )


def test_import_adds_then_recognises_updates_and_skips_older(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    first = commit_import(
        folder, [incoming("R_1", revision="2026-03-05T10:00:00"), incoming("R_2")]
    )
    assert first.added == ("qualtrics-0001", "qualtrics-0002")
    assert first.written == (folder / "responses" / "import-0001.csv",)
    again = commit_import(folder, [incoming("R_1", revision="2026-03-05T10:00:00")])
    assert (again.added, again.updated, again.unchanged, again.written) == ((), (), 1, ())
    older = commit_import(
        folder, [incoming("R_1", {"leiderschap.feedback": 1}, revision="2026-03-01T00:00:00")]
    )
    assert older.unchanged == 1
    newer = commit_import(
        folder,
        [
            incoming("R_1", {"leiderschap.feedback": 1}, revision="2026-03-07T09:00:00+01:00"),
            incoming("R_3"),
        ],
    )
    assert newer.updated == ("qualtrics-0001",)
    assert newer.added == ("qualtrics-0003",)
    responses = {r["respondent"]: r for r in saved(folder)}
    assert responses["qualtrics-0001"]["answers"] == {"leiderschap.feedback": 1}
    assert responses["qualtrics-0001"]["source"]["revision"] == "2026-03-07T09:00:00+01:00"
    assert len(responses) == 3
    assert sorted(p.name for p in (folder / "responses").iterdir()) == [
        "import-0001.csv",
        "import-0002.csv",
    ]


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    outcome = commit_import(folder, [incoming("R_1")], dry_run=True)
    assert outcome.added == ("qualtrics-0001",)
    assert outcome.written == ()
    assert list((folder / "responses").iterdir()) == []


def test_the_same_key_twice_in_one_import_is_refused(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    with pytest.raises(InputError, match="holds the same respondent as response 1"):
        commit_import(folder, [incoming("R_1"), incoming("R_1")])
    assert list((folder / "responses").iterdir()) == []


def test_contact_details_go_to_the_key_file_only_when_asked(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    contact = {"Email": "ann@example.org", "Name": "Ann de Vries"}
    commit_import(folder, [incoming("R_1", contact=contact)])
    assert not (folder / "respondents.key.yaml").exists()
    commit_import(folder, [incoming("R_1", contact=contact)], keep_contact=True)
    assert load_key_file(folder).respondents["qualtrics-0001"].contact == contact
    for path in (folder / "responses").iterdir():
        assert "Ann" not in path.read_text(encoding="utf-8")


def test_an_anonymous_assessment_keeps_no_contact_details(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    text = (folder / "assessment.yaml").read_text(encoding="utf-8")
    (folder / "assessment.yaml").write_text(text + "privacy: anonymous\n", encoding="utf-8")
    with pytest.raises(InputError, match="anonymous: contact details are never kept"):
        commit_import(folder, [incoming("R_1", contact={"Email": "a@b.c"})], keep_contact=True)


def test_codes_continue_after_the_highest_and_skip_erased_ones(tmp_path: Path) -> None:
    from klantladder.store.respondents import forget_respondent

    folder = bilingual_folder(tmp_path)
    commit_import(folder, [incoming("R_1"), incoming("R_2")])
    forget_respondent(folder, "qualtrics-0002")
    outcome = commit_import(folder, [incoming("R_2"), incoming("R_3")])
    assert outcome.forgotten == 1
    assert outcome.added == ("qualtrics-0003",)
    assert load_forgotten(folder).codes == ["qualtrics-0002"]


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def yaml_response(respondent: str, version: int = 1) -> str:
    return (
        f"respondent: {respondent}\nquestionnaire: {{id: tweetalig, version: {version}}}\n"
        "answers: {leiderschap.feedback: 3}\n"
    )


def test_yml_and_upper_case_yaml_files_are_read(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    write(folder / "responses" / "r001.yml", yaml_response("r001"))
    write(folder / "responses" / "r002.YAML", yaml_response("r002"))
    assert [r.respondent for r in load_assessment(folder).responses] == ["r001", "r002"]


def test_the_loader_refuses_every_entry_that_is_no_response(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    responses = folder / "responses"
    write(responses / ".hidden.yaml", yaml_response("hidden"))
    write(responses / "notes.txt", "hello")
    (responses / "sub").mkdir()
    outside = write(tmp_path / "outside.yaml", yaml_response("outside"))
    (responses / "outside.yaml").symlink_to(outside)
    os.mkfifo(responses / "pipe.yaml")
    write(responses / ".gitkeep", "")
    with pytest.raises(InputError) as caught:
        load_assessment(folder)
    messages = {Path(p.file).name: p.message for p in caught.value.problems}
    assert set(messages) == {".hidden.yaml", "notes.txt", "sub", "outside.yaml", "pipe.yaml"}
    assert messages[".hidden.yaml"].startswith("hidden file")
    assert messages["outside.yaml"] == "symlink leading outside the assessment folder; refused"
    assert messages["pipe.yaml"] == "is not a regular file; refused"
    assert messages["sub"].startswith("is a folder")


def test_file_name_must_be_the_respondent_code(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    path = write(folder / "responses" / "ann.yaml", yaml_response("r001"))
    with pytest.raises(InputError) as caught:
        load_assessment(folder)
    assert str(caught.value).startswith(
        f"{path}:1:13: the file of respondent 'r001' must be named r001.yaml"
    )


def test_another_questionnaire_version_is_refused(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    path = write(folder / "responses" / "r001.yaml", yaml_response("r001", version=7))
    with pytest.raises(InputError) as caught:
        load_assessment(folder)
    assert str(caught.value) == (
        f"{path}:2:41: answers version 7 of 'tweetalig', but the assessment uses version 1"
    )


def test_a_code_in_a_file_and_in_a_batch_is_refused(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    commit_import(folder, [incoming("R_1")])
    write(folder / "responses" / "qualtrics-0001.yaml", yaml_response("qualtrics-0001"))
    with pytest.raises(InputError, match=r"also answers in responses/import-0001\.csv row 2"):
        load_assessment(folder)


def test_save_response_refuses_a_code_held_by_a_batch(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    commit_import(folder, [incoming("R_1")])
    [stored] = saved(folder)
    response = Response.model_validate(stored)
    with pytest.raises(InputError, match="is stored in an import batch"):
        save_response(folder, response)


def test_threads_saving_at_once_lose_nothing(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    reference = QuestionnaireRef(id="tweetalig", version=1)
    errors: list[BaseException] = []

    def answer(number: int) -> None:
        try:
            for level in range(1, 6):
                save_response(
                    folder,
                    Response(
                        respondent=f"r{number:03d}",
                        questionnaire=reference,
                        source=ResponseSource(tool="workshop"),
                        answers={"leiderschap.feedback": level},
                    ),
                )
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=answer, args=(n,)) for n in range(1, 21)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    loaded = load_assessment(folder).responses
    assert len(loaded) == 20
    assert {r.answers["leiderschap.feedback"] for r in loaded} == {5}
    assert sorted(p.name for p in (folder / "responses").iterdir())[0] == "r001.yaml"


def test_a_respondent_lock_refuses_a_second_session(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    with (
        RespondentLock(folder, "r001"),
        pytest.raises(BusyError, match="respondent r001 is being answered in another"),
    ):
        RespondentLock(folder, "r001").acquire()
    with RespondentLock(folder, "r001"):
        pass


def test_recovery_deletes_an_unfinished_change_and_finishes_a_committed_one(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = bilingual_folder(tmp_path)
    target = folder / "responses" / "r001.yaml"
    with folder_lock(folder):
        unfinished = Transaction(folder, "unfinished")
        unfinished.write(target, yaml_response("r001").encode())
        committed = Transaction(folder, "committed")
        committed.write(folder / "responses" / "r002.yaml", yaml_response("r002").encode())
    # Both are left as a crash would leave them; the second as if killed right after COMMITTED.
    (committed.dir / "manifest.json").write_text(
        '{"version": 1, "description": "committed", "operations": '
        '[{"op": "write", "target": "responses/r002.yaml", "staged": "0000"}]}',
        encoding="utf-8",
    )
    (committed.dir / "COMMITTED").write_bytes(b"")
    with caplog.at_level("WARNING", logger="klantladder.store"):
        loaded = load_assessment(folder)
    assert [r.respondent for r in loaded.responses] == ["r002"]
    assert not target.exists()
    assert list((folder / ".klantladder" / "staging").iterdir()) == []
    notes = " ".join(record.getMessage() for record in caplog.records)
    assert "(unfinished) had not finished; it was removed" in notes
    assert "(committed) had been committed; it was finished" in notes


def test_a_forged_manifest_cannot_write_outside_the_folder(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    staging = folder / ".klantladder" / "staging" / "forged"
    staging.mkdir(parents=True)
    (staging / "0000").write_text("evil", encoding="utf-8")
    (staging / "manifest.json").write_text(
        '{"version": 1, "description": "x", "operations": '
        '[{"op": "write", "target": "../evil.txt", "staged": "0000"}]}',
        encoding="utf-8",
    )
    (staging / "COMMITTED").write_bytes(b"")
    with pytest.raises(InputError, match="is not a file klantladder writes"), folder_lock(folder):
        pass
    assert not (tmp_path / "evil.txt").exists()


def test_a_failed_write_names_the_file_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    from klantladder.store import transaction

    folder = bilingual_folder(tmp_path)
    commit_import(folder, [incoming("R_1")])
    before = {p.name: p.read_bytes() for p in (folder / "responses").iterdir()}

    def full_disk(path: Path, data: bytes, mode: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(transaction, "_write_durably", full_disk)
    with pytest.raises(WriteError) as caught:
        commit_import(folder, [incoming("R_2")])
    assert str(caught.value) == (
        f"{folder / 'responses' / 'import-0002.csv'}: could not write it (No space left on "
        f"device); the folder is as it was"
    )
    assert {p.name: p.read_bytes() for p in (folder / "responses").iterdir()} == before
    assert list((folder / ".klantladder" / "staging").iterdir()) == []


def test_stored_times_keep_their_zone(tmp_path: Path) -> None:
    folder = bilingual_folder(tmp_path)
    commit_import(folder, [incoming("R_1")])
    questionnaire = questionnaire_of(folder)
    [item], _ = load_stored(folder, questionnaire)
    assert item.response.started == dt.datetime(2026, 3, 5, 10, 0, tzinfo=dt.UTC)
    assert item.response.completed == dt.datetime(2026, 3, 5, 10, 9, 40)
    assert item.row == 2


def test_long_steps_report_progress_to_an_installed_reporter(tmp_path: Path) -> None:
    from klantladder.progress import reporting

    steps: list[tuple[str, int | None, list[int]]] = []

    class Recorder:
        def start(self, description: str, total: int | None) -> Recorder:
            steps.append((description, total, []))
            return self

        def advance(self, amount: int = 1) -> None:
            steps[-1][2].append(amount)

        def finish(self) -> None:
            steps[-1][2].append(0)

    folder = bilingual_folder(tmp_path)
    commit_import(folder, [incoming("R_1"), incoming("R_2")])
    write(folder / "responses" / "r001.yaml", yaml_response("r001"))
    with reporting(Recorder()):
        load_assessment(folder)
    assert steps == [("reading responses", 2, [1, 1, 0])]
    steps.clear()
    load_assessment(folder)
    assert steps == []


def test_validate_checks_a_batch_a_file_name_and_an_anonymous_key_file(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from klantladder.cli import app

    runner = CliRunner()
    folder = bilingual_folder(tmp_path)
    commit_import(folder, [incoming("R_1"), incoming("R_2")])
    batch = folder / "responses" / "import-0001.csv"
    result = runner.invoke(app, ["validate", str(batch)])
    assert result.stdout == f"ok: {batch}: import batch: 2 responses\n"
    wrong = write(folder / "responses" / "ann.yaml", yaml_response("r001"))
    result = runner.invoke(app, ["validate", str(wrong)])
    assert result.exit_code == 1
    assert result.stderr == f"{wrong}:1:13: the file of respondent 'r001' must be named r001.yaml\n"
    wrong.unlink()
    text = (folder / "assessment.yaml").read_text(encoding="utf-8")
    (folder / "assessment.yaml").write_text(text + "privacy: anonymous\n", encoding="utf-8")
    write(folder / "respondents.key.yaml", "respondents: {}\n")
    result = runner.invoke(app, ["validate", str(folder)])
    assert result.exit_code == 1
    assert "this assessment is anonymous, so it keeps no key file" in result.stderr
