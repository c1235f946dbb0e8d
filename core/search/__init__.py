"""Retrieval: embedders, the keyword index, hybrid search."""
