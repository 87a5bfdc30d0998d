"""Who an API key acts for; apart from keys.py so the CLI names the roles without SQLAlchemy."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """Who a key acts for (docs/rules.md, "Who uses it")."""

    host = "host"  # one host, bound at creation
    operator = "operator"  # the live-commerce team
    service = "service"  # other platform services: privilege checks and the events feed
