"""The desktop side of a team server: its API over pinned TLS, and copies kept in sync."""
