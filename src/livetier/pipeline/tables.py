"""Small table helpers shared by the pipeline steps."""

from __future__ import annotations

import ibis


def without(table: ibis.Table, *names: str) -> ibis.Table:
    """``table`` minus some columns, keeping column order.

    Ibis compiles ``drop`` to an EXCLUDE list in set order, which changes from run to run and
    makes the compiled SQL unstable; an explicit projection keeps it reviewable.
    """
    return table.select(*(c for c in table.columns if c not in names))
