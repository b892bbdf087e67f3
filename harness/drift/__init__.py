"""Is the screen still the one the guide shows? The pixel diff (pixelmatch's algorithm on
numpy), the text diff, the verdict per step and per flow, and the models every report
renders. Reads capture records and images; never a browser."""

from harness.drift.step import (
    Thresholds,
    circled,
    comparable_text,
    environment_changes,
    geometry_problem,
    judge_step,
    normalise_label,
    quoted_labels,
    text_regions,
)

__all__ = [
    "Thresholds",
    "circled",
    "comparable_text",
    "environment_changes",
    "geometry_problem",
    "judge_step",
    "normalise_label",
    "quoted_labels",
    "text_regions",
]
