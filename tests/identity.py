"""Test accounts: the first admin and helpers to create users of each role."""

from __future__ import annotations

from core import Engine, Role, Session

ADMIN = "admin"
PASSWORD = "correct horse battery"


def admin_session(engine: Engine) -> Session:
    """Log in as the admin, running first-run setup if needed."""
    if engine.identity.needs_setup():
        return engine.identity.setup(ADMIN, PASSWORD).session
    return engine.identity.login(ADMIN, PASSWORD)


def user_session(engine: Engine, admin: Session, name: str, role: Role) -> Session:
    """Register `name`, have the admin approve it with `role`, log in."""
    engine.identity.register(name, PASSWORD)
    engine.accounts.approve_user(admin, name, role)
    return engine.identity.login(name, PASSWORD)
