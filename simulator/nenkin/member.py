"""ねんきんネット member pages (owner: fills in top page, records, notices, e-application)."""

from __future__ import annotations
