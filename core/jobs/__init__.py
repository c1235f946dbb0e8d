"""Background work: a persisted job queue and the in-process scheduler that drains it."""
