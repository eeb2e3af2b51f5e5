from __future__ import annotations

import pytest
from helpers import MINI

from klantladder.loading import load_questionnaire
from klantladder.models.questionnaire import Questionnaire


@pytest.fixture(scope="session")
def mini() -> Questionnaire:
    return load_questionnaire(MINI)
