"""The diagnosis that follows the data: signs with evidence, advice per step, quotes, findings.

Pure functions over a questionnaire, its responses and a scored result; the
report shows what they return. `signs` weighs each phase sign against the
answers, `advice` chooses advice for the overall phase and for each advised
dimension's own step, `quotes` links open answers to dimensions and chooses a
bounded set of them, `findings` writes the key findings the report opens with.
"""

from klantladder.diagnosis.advice import (
    AdviceChapter,
    DimensionAdvice,
    advice_chapter,
    advised_dimensions,
    bottleneck,
    items_for_step,
)
from klantladder.diagnosis.findings import FindingSources, key_findings
from klantladder.diagnosis.quotes import (
    AnswerReader,
    OpenAnswer,
    QuoteSelection,
    appendix_answers,
    open_answers,
    select_quotes,
)
from klantladder.diagnosis.signs import SignResult, SummarySigns, summary_signs, weigh_signs

__all__ = [
    "AdviceChapter",
    "AnswerReader",
    "DimensionAdvice",
    "FindingSources",
    "OpenAnswer",
    "QuoteSelection",
    "SignResult",
    "SummarySigns",
    "advice_chapter",
    "advised_dimensions",
    "appendix_answers",
    "bottleneck",
    "items_for_step",
    "key_findings",
    "open_answers",
    "select_quotes",
    "summary_signs",
    "weigh_signs",
]
