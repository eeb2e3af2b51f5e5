"""Wording helpers for the report and handouts: plurals, numbers in words, register.

Every word comes from the label files (``report_templates/labels.<lang>.yaml``);
this module only chooses between the forms a label declares:

* a *counted* label is a mapping with ``one`` and ``other`` forms (and an
  optional ``zero`` form), filled with ``$count`` (the digits), ``$count_words``
  (the number in words up to the last entry of ``number_words``, digits above)
  and ``$Count_words`` (the same, capitalised, for the start of a sentence);
* ``register`` tells whether a text addresses its reader formally (Dutch *u*)
  or informally (*je*), so a document never mixes the two.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from jinja2 import Environment
from markupsafe import Markup, escape

from klantladder.models.base import localize
from klantladder.models.questionnaire import LadderQuestion, ProfileQuestion, Questionnaire

Register = Literal["formal", "informal"]

# Dutch forms of address. "je" is also a reflexive pronoun, which the informal
# register uses too; "u" never occurs otherwise in running Dutch text.
_INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jullie)\b", re.IGNORECASE)
_FORMAL = re.compile(r"\b(u|uw)\b", re.IGNORECASE)


def registers(text: str) -> set[Register]:
    """The registers in which ``text`` addresses its reader (Dutch): formal, informal, both."""
    found: set[Register] = set()
    if _INFORMAL.search(text):
        found.add("informal")
    if _FORMAL.search(text):
        found.add("formal")
    return found


def pronoun_hits(text: str) -> dict[Register, list[str]]:
    """Every form of address in ``text``, with a few words around it, by register."""

    def around(match: re.Match[str]) -> str:
        return " ".join(text[max(match.start() - 30, 0) : match.end() + 30].split())

    return {
        "informal": [around(m) for m in _INFORMAL.finditer(text)],
        "formal": [around(m) for m in _FORMAL.finditer(text)],
    }


def register(texts: Iterable[str]) -> Register:
    """The register most of ``texts`` use; formal when they use none or tie."""
    informal = formal = 0
    for text in texts:
        informal += len(_INFORMAL.findall(text))
        formal += len(_FORMAL.findall(text))
    return "informal" if informal > formal else "formal"


def number_in_words(count: int, labels: Mapping[str, Any]) -> str:
    """``count`` in words when the labels have a word for it (``number_words``), else digits."""
    words = labels.get("number_words") or []
    return str(words[count]) if 0 <= count < len(words) else str(count)


def counted(entry: Any, count: int, labels: Mapping[str, Any], **values: Any) -> str:
    """Fill a counted label: its ``zero``, ``one`` or ``other`` form for ``count``.

    A plain string label is filled as it is. ``values`` fill the other
    ``$placeholders``.
    """
    if isinstance(entry, Mapping):
        if count == 0 and "zero" in entry:
            form = entry["zero"]
        elif count == 1:
            form = entry["one"]
        else:
            form = entry["other"]
    else:
        form = entry
    words = number_in_words(count, labels)
    return string.Template(str(form)).safe_substitute(
        {k: str(v) for k, v in values.items()}
        | {"count": str(count), "count_words": words, "Count_words": words[:1].upper() + words[1:]}
    )


def lower_first(text: str) -> str:
    """Lower-case the first letter, as after a colon, unless the first word is an abbreviation.

    'De organisatie ...' becomes 'de organisatie ...'; 'ICT ...' stays.
    """
    if len(text) > 1 and text[0].isupper() and not text[1].isupper():
        return text[0].lower() + text[1:]
    return text


def emphasised(template: str, **values: Any) -> Markup:
    """Fill ``template`` with ``values``, each in bold; the template itself is escaped text."""
    parts = re.split(r"\$(\w+)", template)
    html = []
    for index, part in enumerate(parts):
        if index % 2 == 0:
            html.append(str(escape(part)))
        elif part in values:
            html.append(f"<strong>{escape(values[part])}</strong>")
        else:
            html.append(str(escape("$" + part)))
    return Markup("".join(html))


def install_wording(environment: Environment, labels: Mapping[str, Any]) -> None:
    """Add the wording filters to a template environment.

    ``counted``: ``labels.suppressed | counted(n, minimum=3)``;
    ``words``: a number in words; ``lower_first``; ``emphasised``:
    ``labels.cover_phase | emphasised(phase=name)`` puts the values in bold.
    """
    environment.filters["counted"] = lambda entry, count, **values: counted(
        entry, int(count), labels, **values
    )
    environment.filters["words"] = lambda count: number_in_words(int(count), labels)
    environment.filters["lower_first"] = lower_first
    environment.filters["emphasised"] = emphasised


def questionnaire_texts(questionnaire: Questionnaire, language: str) -> list[str]:
    """Every text a respondent reads on the form: description, questions, answers."""
    method = questionnaire.content
    texts = [localize(questionnaire.title, language)]
    if questionnaire.description:
        texts.append(localize(questionnaire.description, language))
    for question in questionnaire.questions:
        texts.append(localize(question.text, language))
        if question.help:
            texts.append(localize(question.help, language))
        if isinstance(question, LadderQuestion):
            texts += [localize(text, language) for text in question.statements.values()]
        if isinstance(question, ProfileQuestion):
            texts += [localize(option.label, language) for option in question.options]
    texts += [localize(label, language) for label in method.answer_labels.agreement.values()]
    texts.append(localize(method.answer_labels.unknown, language))
    return texts
