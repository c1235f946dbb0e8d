"""Ingest: find files, parse them, chunk them, embed and store them."""
