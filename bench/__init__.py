"""Benchmarks: figures printed with a same-run baseline, never asserted."""
