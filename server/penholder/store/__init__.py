"""Storage: SQL tables, the CRDT update log and snapshots, drafts. See docs/store.md."""

from sqlalchemy import Engine  # the database handle, passed through the domain modules unopened

from penholder.store.db import make_engine, migrate
from penholder.store.drafts import create_draft, get_draft, list_drafts
from penholder.store.tables import Delegation, Draft, Snapshot, Token, Update, User
from penholder.store.updates import (
    append_update,
    latest_snapshot,
    prune_snapshots,
    save_snapshot,
    updates_after,
)

__all__ = [
    "Delegation",
    "Draft",
    "Engine",
    "Snapshot",
    "Token",
    "Update",
    "User",
    "append_update",
    "create_draft",
    "get_draft",
    "latest_snapshot",
    "list_drafts",
    "make_engine",
    "migrate",
    "prune_snapshots",
    "save_snapshot",
    "updates_after",
]
