"""Calibration: checking that the instrument places organisations where practice puts them.

`calibrate` scores assessment folders whose ``assessment.yaml`` names an
``expected`` phase (and ``acceptable`` neighbours) and tabulates the agreement;
with ``fit=True`` it fits thresholds by a grid search and checks them by
leave-one-out (see `klantladder.calibration.fit`); `write_calibration` puts the
fitted thresholds and the figures into a questionnaire file.
"""

from klantladder.calibration.report import DEFAULT_STEP, calibrate
from klantladder.calibration.write import write_calibration

__all__ = ["DEFAULT_STEP", "calibrate", "write_calibration"]
