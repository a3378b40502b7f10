"""A principal from its account and the account's relations to drafts, as the store
reads them (store.accounts.Holder)."""

from __future__ import annotations

from penholder.auth.principal import Principal
from penholder.auth.roles import Kind
from penholder.store.accounts import Holder


def load_principal(who: Holder, *, draft_id: int | None = None, via: str = "token") -> Principal:
    a = who.account
    return Principal(
        user_id=a.id,
        name=a.name,
        delegation=a.delegation,
        kind=Kind(a.kind),
        delegation_id=a.delegation_id,
        draft_id=draft_id,
        main_sponsor_of=who.main_sponsor_of,
        facilitator_of=who.facilitator_of,
        observers_propose=who.observers_propose,
        focal_point=a.focal_point,
        via=via,
    )
