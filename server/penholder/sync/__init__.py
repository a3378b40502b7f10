"""Live documents: the Y document schema, rooms and their lifecycle hooks."""
