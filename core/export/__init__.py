"""Things leaving the installation on a user's explicit request: chats and bundles."""
