"""The data layer: the only code, with its loader, that knows how responses are stored.

Every write of responses goes through here: `save_response` (one respondent,
atomically, under the folder lock), `commit_import` (one import, all or
nothing), and the respondent operations in `klantladder.store.respondents`
(`new_code` hands a session a free code with its `RespondentLock` held).
See docs/design/storage.md.
"""

from klantladder.store.commit import ImportOutcome, IncomingResponse, commit_import
from klantladder.store.loader import StoredResponse, load_response, load_responses, load_stored
from klantladder.store.locks import RespondentLock, folder_lock
from klantladder.store.respondents import new_code
from klantladder.store.writer import save_response

__all__ = [
    "ImportOutcome",
    "IncomingResponse",
    "RespondentLock",
    "StoredResponse",
    "commit_import",
    "folder_lock",
    "load_response",
    "load_responses",
    "load_stored",
    "new_code",
    "save_response",
]
