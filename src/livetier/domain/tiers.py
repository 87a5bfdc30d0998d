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
        return _RANK[self]

    @property
    def next(self) -> Tier | None:
        """The tier one step up, or None at the top."""
        return _NEXT[self]

    @property
    def zh(self) -> str:
        """The Chinese name used on the platform (docs/rules.md)."""
        return _ZH[self]

    def __str__(self) -> str:
        return self.value


_ORDER = list(Tier)
_RANK = {t: i for i, t in enumerate(_ORDER)}
_NEXT: dict[Tier, Tier | None] = {
    t: (_ORDER[i + 1] if i + 1 < len(_ORDER) else None) for i, t in enumerate(_ORDER)
}
_ZH = {Tier.NONE: "—", Tier.ORDINARY: "普通主播", Tier.EXPERT: "达人主播", Tier.HONOR: "荣耀主播"}

GRADED_TIERS: tuple[Tier, ...] = (Tier.ORDINARY, Tier.EXPERT, Tier.HONOR)
"""Tiers that have requirements; ``none`` is what a host gets when it meets none of them."""
