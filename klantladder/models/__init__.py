"""Pydantic models of every file klantladder reads or writes."""

from klantladder.models.assessment import UNKNOWN, Assessment, QuestionnaireRef, Response
from klantladder.models.base import Text, localize
from klantladder.models.method import Dimension, Method, Phase, ScoringRules
from klantladder.models.questionnaire import (
    LadderQuestion,
    LikertQuestion,
    OpenQuestion,
    ProfileQuestion,
    Question,
    Questionnaire,
)
from klantladder.models.result import ScoreResult

__all__ = [
    "UNKNOWN",
    "Assessment",
    "Dimension",
    "LadderQuestion",
    "LikertQuestion",
    "Method",
    "OpenQuestion",
    "Phase",
    "ProfileQuestion",
    "Question",
    "Questionnaire",
    "QuestionnaireRef",
    "Response",
    "ScoreResult",
    "ScoringRules",
    "Text",
    "localize",
]
