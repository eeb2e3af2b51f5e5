"""Calibration: checking that the instrument places organisations where practice puts them.

`calibrate` scores assessment folders whose ``assessment.yaml`` names an
``expected`` phase (and ``acceptable`` neighbours) and tabulates the agreement;
with ``fit=True`` it fits the thresholds and the cap of the weakest-rung rule by
an exhaustive grid search and checks them by leave-one-out (see
`klantladder.calibration.fit`); `write_calibration` puts the fitted thresholds,
the fitted rule and the figures into a questionnaire file.
"""

from klantladder.calibration.fit import DEFAULT_CAPS
from klantladder.calibration.report import DEFAULT_STEP, calibrate
from klantladder.calibration.write import write_calibration

__all__ = ["DEFAULT_CAPS", "DEFAULT_STEP", "calibrate", "write_calibration"]
