"""Usage and quality figures for administrators: recorded per answer, read as aggregates."""
