"""Where captures live on disk, and the rules that protect approved screenshots.

A capture is three files side by side: `<stem>.raw.png` (the screen as captured),
`<stem>.png` (annotated) and `<stem>.json` (its CaptureRecord). The approved set is
`screenshots/<device>/<flow>/`; the latest run's captures are staged beside it, under
`.guideshot/current/<device>/<flow>/` in the baseline's parent folder, each flow with a
manifest. Staging and approving are transactions (see staging.py and switch.py).
"""

from harness.store.captures import (
    Outcome,
    WriteSummary,
    annotate_captures,
    annotated_png,
    read_record,
    record_json,
    write_failure,
)
from harness.store.layout import failures_root, flow_dir, staging_root, work_root

__all__ = [
    "Outcome",
    "WriteSummary",
    "annotate_captures",
    "annotated_png",
    "failures_root",
    "flow_dir",
    "read_record",
    "record_json",
    "staging_root",
    "work_root",
    "write_failure",
]
