"""The regenerated guide: HTML and PDF editions built from annotated screenshots and prose."""

from harness.guide.build import build_guide
from harness.guide.model import GuideEdition, GuideError, GuideFlow, GuideStep, StepReference

__all__ = [
    "GuideEdition",
    "GuideError",
    "GuideFlow",
    "GuideStep",
    "StepReference",
    "build_guide",
]
