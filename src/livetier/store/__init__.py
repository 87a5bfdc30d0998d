"""Service state: current tiers, their history, runs, claims and the event outbox (SQLAlchemy)."""
