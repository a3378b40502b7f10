"""Penholder: collaborative drafting and amendment tracking for UN General Assembly resolutions."""
