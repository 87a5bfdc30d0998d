"""The metrics pipeline: backend-neutral Ibis expressions from raw events to graded hosts."""
