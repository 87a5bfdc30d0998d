"""Host tiers (主播身份), lowest to highest."""

from __future__ import annotations

from enum import StrEnum


class Tier(StrEnum):
    """A host's tier; members are declared lowest first, so ``rank`` follows declaration order."""

    NONE = "none"
    ORDINARY = "ordinary"
    EXPERT = "expert"
    HONOR = "honor"

    @property
    def rank(self) -> int:
        """Position from the bottom: none is 0."""
        return list(Tier).index(self)

    @property
    def next(self) -> Tier | None:
        """The tier one step up, or None at the top."""
        tiers = list(Tier)
        return tiers[self.rank + 1] if self.rank + 1 < len(tiers) else None

    @property
    def zh(self) -> str:
        """The Chinese name used on the platform (domain.md)."""
        return _ZH[self]

    def __str__(self) -> str:
        return self.value


_ZH = {Tier.NONE: "—", Tier.ORDINARY: "普通主播", Tier.EXPERT: "达人主播", Tier.HONOR: "荣耀主播"}

GRADED_TIERS: tuple[Tier, ...] = (Tier.ORDINARY, Tier.EXPERT, Tier.HONOR)
"""Tiers that have requirements; ``none`` is what a host gets when it meets none of them."""
