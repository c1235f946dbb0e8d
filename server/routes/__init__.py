"""Thin routers, one per core service: parse, call the engine, return its data."""
