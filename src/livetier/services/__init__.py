"""Use cases: what the entry points call."""
