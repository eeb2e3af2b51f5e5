"""What respondents are promised about their answers, true for the assessment's privacy mode.

The texts are per mode in ``report_templates/labels.<lang>.yaml``
(``privacy_promise``, and ``privacy_promise_informal`` for a form that says
"je"), so the interview, the paper questionnaire and the report never
promise more than the folder keeps.
"""

from __future__ import annotations

import string

from klantladder.models.assessment import Privacy


def promise(language: str, privacy: Privacy, minimum: int, *, informal: bool = False) -> str:
    """The promise to respondents for ``privacy``, in ``language``.

    ``informal`` for a form that addresses its reader as "je" (see
    `klantladder.report.wording.register`), so the promise speaks as the form does.
    """
    from klantladder.report.environment import report_labels

    key = "privacy_promise_informal" if informal else "privacy_promise"
    template = report_labels(language)[key][privacy]
    return string.Template(template).safe_substitute(minimum=minimum)
