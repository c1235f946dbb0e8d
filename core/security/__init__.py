"""Keys, accounts and access control."""
