"""What each survey tool writes around the answers: metadata and contact columns.

Headers are compared case-insensitively, in the English and Dutch spellings of
each tool's interface. A metadata column gets a `Role`; a column that holds
personal data (e-mail, name, IP address, location, external reference,
recipient fields) gets the name of its contact field and is dropped on import
unless ``--keep-contact`` asks to keep it in the key file.
"""

from __future__ import annotations

from enum import Enum
from typing import Literal, get_args

Tool = Literal[
    "msforms", "googleforms", "qualtrics", "limesurvey", "typeform", "surveymonkey", "csv"
]
TOOLS: tuple[Tool, ...] = get_args(Tool)
TOOL_NAMES: dict[Tool, str] = {
    "msforms": "Microsoft Forms",
    "googleforms": "Google Forms",
    "qualtrics": "Qualtrics",
    "limesurvey": "LimeSurvey",
    "typeform": "Typeform",
    "surveymonkey": "SurveyMonkey",
    "csv": "plain CSV",
}


class Role(Enum):
    """What a column holds."""

    QUESTION = "question"
    RESPONSE_ID = "response id"
    RESPONDENT = "respondent"
    STARTED = "started"
    COMPLETED = "completed"
    REVISION = "last edit"
    STAGED = "stage date"
    STATUS = "status"
    CHANNEL = "distribution channel"
    FINISHED = "finished"
    PROGRESS = "progress"
    RESPONSE_TYPE = "response type"
    SEED = "seed"
    CONTACT = "contact"
    IGNORED = "ignored"


Meta = tuple[Role, str | None]


def _contact(field: str) -> Meta:
    return (Role.CONTACT, field)


def _role(role: Role) -> Meta:
    return (role, None)


_MSFORMS: dict[str, Meta] = {
    "id": _role(Role.RESPONSE_ID),
    "start time": _role(Role.STARTED),
    "begintijd": _role(Role.STARTED),
    "completion time": _role(Role.COMPLETED),
    "tijd van voltooien": _role(Role.COMPLETED),
    "voltooiingstijd": _role(Role.COMPLETED),
    "last modified time": _role(Role.REVISION),
    "tijd van laatste wijziging": _role(Role.REVISION),
    "tijdstip van laatste wijziging": _role(Role.REVISION),
    "email": _contact("email"),
    "e-mail": _contact("email"),
    "name": _contact("name"),
    "naam": _contact("name"),
    "total points": _role(Role.IGNORED),
    "totaal aantal punten": _role(Role.IGNORED),
    "quiz feedback": _role(Role.IGNORED),
    "quizfeedback": _role(Role.IGNORED),
}

_GOOGLEFORMS: dict[str, Meta] = {
    "timestamp": _role(Role.COMPLETED),
    "tijdstempel": _role(Role.COMPLETED),
    "email address": _contact("email"),
    "e-mailadres": _contact("email"),
    "score": _role(Role.IGNORED),
}

# Qualtrics names its metadata by ImportId in the current layout, and by the
# names of the second header row in the legacy layout.
QUALTRICS_IMPORT_IDS: dict[str, Meta] = {
    "startdate": _role(Role.STARTED),
    "enddate": _role(Role.COMPLETED),
    "status": _role(Role.STATUS),
    "ipaddress": _contact("ip_address"),
    "progress": _role(Role.PROGRESS),
    "duration": _role(Role.IGNORED),
    "finished": _role(Role.FINISHED),
    "recordeddate": _role(Role.IGNORED),
    "_recordid": _role(Role.RESPONSE_ID),
    "responseid": _role(Role.RESPONSE_ID),
    "responseset": _role(Role.IGNORED),
    "name": _contact("name"),
    "recipientlastname": _contact("last_name"),
    "recipientfirstname": _contact("first_name"),
    "recipientemail": _contact("email"),
    "emailaddress": _contact("email"),
    "externaldatareference": _contact("external_reference"),
    "externalreference": _contact("external_reference"),
    "locationlatitude": _contact("latitude"),
    "locationlongitude": _contact("longitude"),
    "locationaccuracy": _contact("location_accuracy"),
    "distributionchannel": _role(Role.CHANNEL),
    "userlanguage": _role(Role.IGNORED),
}

_LIMESURVEY: dict[str, Meta] = {
    "id": _role(Role.RESPONSE_ID),
    "response id": _role(Role.RESPONSE_ID),
    "antwoord id": _role(Role.RESPONSE_ID),
    "submitdate": _role(Role.COMPLETED),
    "date submitted": _role(Role.COMPLETED),
    "datum ingediend": _role(Role.COMPLETED),
    "startdate": _role(Role.STARTED),
    "date started": _role(Role.STARTED),
    "startdatum": _role(Role.STARTED),
    "datestamp": _role(Role.REVISION),
    "date last action": _role(Role.REVISION),
    "datum laatste actie": _role(Role.REVISION),
    "seed": _role(Role.SEED),
    "lastpage": _role(Role.IGNORED),
    "last page": _role(Role.IGNORED),
    "laatste pagina": _role(Role.IGNORED),
    "startlanguage": _role(Role.IGNORED),
    "start language": _role(Role.IGNORED),
    "starttaal": _role(Role.IGNORED),
    "interviewtime": _role(Role.IGNORED),
    "total time": _role(Role.IGNORED),
    "token": _contact("token"),
    "access code": _contact("token"),
    "toegangscode": _contact("token"),
    "ipaddr": _contact("ip_address"),
    "ip address": _contact("ip_address"),
    "ip-adres": _contact("ip_address"),
    "refurl": _contact("referrer"),
    "referrer url": _contact("referrer"),
    "verwijzende url": _contact("referrer"),
    "firstname": _contact("first_name"),
    "first name": _contact("first_name"),
    "voornaam": _contact("first_name"),
    "lastname": _contact("last_name"),
    "last name": _contact("last_name"),
    "achternaam": _contact("last_name"),
    "email": _contact("email"),
    "email address": _contact("email"),
    "e-mailadres": _contact("email"),
}

_TYPEFORM: dict[str, Meta] = {
    "#": _role(Role.RESPONSE_ID),
    "token": _role(Role.RESPONSE_ID),
    "response type": _role(Role.RESPONSE_TYPE),
    "start date (utc)": _role(Role.STARTED),
    "landed at": _role(Role.STARTED),
    "stage date (utc)": _role(Role.STAGED),
    "submit date (utc)": _role(Role.COMPLETED),
    "submitted at": _role(Role.COMPLETED),
    "network id": _contact("network_id"),
    "tags": _role(Role.IGNORED),
    "ending": _role(Role.IGNORED),
}

_SURVEYMONKEY: dict[str, Meta] = {
    "respondent id": _role(Role.RESPONSE_ID),
    "respondent-id": _role(Role.RESPONSE_ID),
    "collector id": _role(Role.IGNORED),
    "collector-id": _role(Role.IGNORED),
    "verzamelprogramma-id": _role(Role.IGNORED),
    "start date": _role(Role.STARTED),
    "begindatum": _role(Role.STARTED),
    "startdatum": _role(Role.STARTED),
    "end date": _role(Role.COMPLETED),
    "einddatum": _role(Role.COMPLETED),
    "status": _role(Role.STATUS),
    "response status": _role(Role.STATUS),
    "reactiestatus": _role(Role.STATUS),
    "ip address": _contact("ip_address"),
    "ip-adres": _contact("ip_address"),
    "email address": _contact("email"),
    "e-mailadres": _contact("email"),
    "first name": _contact("first_name"),
    "voornaam": _contact("first_name"),
    "last name": _contact("last_name"),
    "achternaam": _contact("last_name"),
    "custom data 1": _contact("custom_data"),
    "custom data": _contact("custom_data"),
    "aangepaste gegevens 1": _contact("custom_data"),
    "aangepaste gegevens": _contact("custom_data"),
}

_CSV: dict[str, Meta] = {
    "respondent": _role(Role.RESPONDENT),
    "name": _contact("name"),
    "naam": _contact("name"),
    "email": _contact("email"),
    "e-mail": _contact("email"),
    "started": _role(Role.STARTED),
    "completed": _role(Role.COMPLETED),
}

METADATA: dict[Tool, dict[str, Meta]] = {
    "msforms": _MSFORMS,
    "googleforms": _GOOGLEFORMS,
    "qualtrics": QUALTRICS_IMPORT_IDS,
    "limesurvey": _LIMESURVEY,
    "typeform": _TYPEFORM,
    "surveymonkey": _SURVEYMONKEY,
    "csv": _CSV,
}

# SurveyMonkey's second header row: a single answer or a text box, else an option label.
SURVEYMONKEY_SINGLE = frozenset(
    {
        "response",
        "open-ended response",
        "antwoord",
        "open antwoord",
        "reactie",
        "open reactie",
        "open-ended antwoord",
    }
)

# Values of a Qualtrics export's Status column that are no real respondent,
# as numbers (the default export) and as text ("use choice text").
QUALTRICS_NOT_REAL_STATUS = frozenset({"1", "2", "8", "9", "12", "17"})
QUALTRICS_NOT_REAL_WORDS = ("preview", "test", "spam")
QUALTRICS_NOT_REAL_CHANNELS = frozenset({"preview", "test"})
# What tools write for "no" / "not finished" and for a partial response.
FALSE_WORDS = frozenset({"0", "false", "onwaar", "nee", "no"})
PARTIAL_WORDS = frozenset(
    {"partial", "incomplete", "gedeeltelijk", "onvolledig", "niet voltooid", "unfinished"}
)
