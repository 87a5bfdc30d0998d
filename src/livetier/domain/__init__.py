"""The pure domain: tiers, rulebooks, criteria and one host's evaluation (standard library only)."""
