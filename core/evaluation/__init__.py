"""Retrieval evaluation on BEIR-layout datasets (see harness.evaluate)."""
