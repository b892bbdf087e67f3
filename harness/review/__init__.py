"""`guideshot review`: the report served on loopback, with Approve, Reject and Undo per step
and per flow × device, each click carried out by the transactional approve."""

from harness.review.app import create_review_app
from harness.review.decisions import Decision, Review, ReviewRefused

__all__ = ["Decision", "Review", "ReviewRefused", "create_review_app"]
