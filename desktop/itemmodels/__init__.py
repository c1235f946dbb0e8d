"""Qt item models over the core's public dataclasses (no widgets, testable alone)."""
