"""Persistence: the encrypted SQLCipher database, LanceDB vectors."""
