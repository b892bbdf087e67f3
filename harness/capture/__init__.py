"""Driving the browser: devices, finding and launching browsers, the runner and its actions,
reading the screen, and running many flow × device jobs. The only part that imports
Playwright — except this package's front door, which is the capture record alone, so
judging, reporting and the guide can read records without a browser."""

from harness.capture.record import AnnotationStamp, Box, CaptureRecord, Environment, Swipe

__all__ = ["AnnotationStamp", "Box", "CaptureRecord", "Environment", "Swipe"]
