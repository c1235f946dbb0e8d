"""Widgets of the desktop shell; each reaches the engine through the `core` facade."""
