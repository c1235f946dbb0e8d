"""Konspekt's Qt desktop shell: reaches the engine only through the `core` facade."""
