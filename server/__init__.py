"""Konspekt's team server: the core over HTTPS (FastAPI), for many users at once."""
