"""Applying a stretch of the update log to a document in one go."""

from __future__ import annotations

from collections.abc import Sequence

from pycrdt import Doc, merge_updates

# Updates merged into one before it is applied. For 50,000 typed updates: 65 ms, against
# 95-135 ms one by one and 250 ms or more in batches of 1,000 (merging grows faster than
# linearly with the batch).
MERGED = 50


def apply_all(doc: Doc, updates: Sequence[bytes]) -> None:
    """Apply updates (a snapshot and the log after it, say) in one transaction."""
    with doc.transaction(origin="load"):
        for i in range(0, len(updates), MERGED):
            batch = updates[i:i + MERGED]
            doc.apply_update(batch[0] if len(batch) == 1 else merge_updates(*batch))
