"""The crash tests' failpoint (store/failpoint.py; the store's steps call it too)."""

from __future__ import annotations

from livetier.store.failpoint import POINTS, checkpoint

__all__ = ["POINTS", "checkpoint"]
