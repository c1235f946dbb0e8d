"""Logging in and out, one's own account, and API keys (routes over `engine.identity`)."""

from __future__ import annotations

from fastapi import APIRouter, Request, status
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from core import ApiKey, NewApiKey, TokenUsage, User
from server.deps import Acting, EngineDep, RowId

router = APIRouter(prefix="/api", tags=["identity"])


class Credentials(BaseModel):
    """A username and password (local account, or the directory's when LDAP is set up)."""

    username: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=1000)


class Registration(Credentials):
    """A new account, pending approval unless an invite code comes with it."""

    display_name: str = Field(default="", max_length=200)
    invite: str | None = Field(default=None, max_length=200)


class LoginResult(BaseModel):
    """The bearer token of a new session, and whose it is."""

    token: str
    user: User


class Password(BaseModel):
    """The current password (to unlock a session)."""

    password: str = Field(min_length=1, max_length=1000)


class PasswordChange(BaseModel):
    """The current password and the new one."""

    old: str = Field(min_length=1, max_length=1000)
    new: str = Field(min_length=1, max_length=1000)


class KeyRequest(BaseModel):
    """What an API key is for."""

    name: str = Field(min_length=1, max_length=100)


@router.post("/login")
async def login(body: Credentials, engine: EngineDep, request: Request) -> LoginResult:
    """A session token for valid credentials (401 with the reason otherwise)."""
    session = await run_in_threadpool(engine.identity.login, body.username, body.password)
    request.state.user_id = session.user.id
    return LoginResult(token=session.token, user=session.user)


@router.post("/register", status_code=status.HTTP_201_CREATED)
def register(body: Registration, engine: EngineDep) -> User:
    """Ask for an account; an admin approves it (or the invite code does at once)."""
    return engine.identity.register(body.username, body.password, body.display_name, body.invite)


@router.post("/logout", status_code=status.HTTP_204_NO_CONTENT)
def logout(session: Acting, engine: EngineDep) -> None:
    """End this session: its token stops working at once."""
    engine.identity.logout(session)


@router.get("/me")
def me(session: Acting, engine: EngineDep) -> User:
    """The caller's account as it is now."""
    return engine.identity.current_user(session)


@router.get("/me/usage")
def my_usage(session: Acting, engine: EngineDep) -> TokenUsage:
    """The caller's tokens used today and daily quota, if an admin set one."""
    return engine.accounts.token_usage(session)


@router.post("/unlock", status_code=status.HTTP_204_NO_CONTENT)
def unlock(body: Password, session: Acting, engine: EngineDep) -> None:
    """Resume a session locked after idle time."""
    engine.identity.unlock(session, body.password)


@router.post("/password", status_code=status.HTTP_204_NO_CONTENT)
def change_password(body: PasswordChange, session: Acting, engine: EngineDep) -> None:
    """Change one's own password (required after an admin reset)."""
    engine.identity.change_password(session, body.old, body.new)


@router.get("/keys")
def api_keys(session: Acting, engine: EngineDep) -> list[ApiKey]:
    """The caller's API keys (never the keys themselves)."""
    return engine.identity.api_keys(session)


@router.post("/keys", status_code=status.HTTP_201_CREATED)
def create_api_key(body: KeyRequest, session: Acting, engine: EngineDep) -> NewApiKey:
    """A new API key acting as the caller; `secret` is shown this once."""
    return engine.identity.create_api_key(session, body.name)


@router.delete("/keys/{key_id}", status_code=status.HTTP_204_NO_CONTENT)
def revoke_api_key(key_id: RowId, session: Acting, engine: EngineDep) -> None:
    """Stop a key working (one's own; an admin's any)."""
    engine.identity.revoke_api_key(session, key_id)
