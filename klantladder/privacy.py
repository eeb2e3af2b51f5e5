"""What respondents are promised about their answers, true for the assessment's privacy mode.

The texts are per mode in ``report_templates/labels.<lang>.yaml``
(``privacy_promise``), so the interview, the paper questionnaire and the
report never promise more than the folder keeps.
"""

from __future__ import annotations

import string

from klantladder.models.assessment import Privacy


def promise(language: str, privacy: Privacy, minimum: int) -> str:
    """The promise to respondents for ``privacy``, in ``language``."""
    from klantladder.report.environment import report_labels

    template = report_labels(language)["privacy_promise"][privacy]
    return string.Template(template).safe_substitute(minimum=minimum)
