"""Amendments: proposals by delegations, their sponsors, lifecycle and application."""
