"""Conversation memory: chats and their messages, per user (summaries come next)."""
