"""Training the graph's live model: checked fit arguments (data.py) and background runs (run.py)."""

from .data import FitPlan, TrainingDataError, fit_plan
from .run import FAILED, FINISHED, PAUSED, RUNNING, STOPPED, Progress, TrainingRun, train

__all__ = [
    "FAILED", "FINISHED", "PAUSED", "RUNNING", "STOPPED",
    "FitPlan", "Progress", "TrainingDataError", "TrainingRun", "fit_plan", "train",
]
