"""The app in process (Starlette's TestClient) on a migrated database with the zero
draft of A/RES/79/53 and one user per (name, delegation, role); and direct edits
written to the draft's log as a penholder's page would send them, at chosen times."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from pycrdt import Doc
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session
from starlette.testclient import TestClient

from penholder.auth import create_user
from penholder.store import append_update, make_engine
from penholder.store.log import log_data_upto
from penholder.store.tables import Draft, Update, User
from penholder.sync import edits
from penholder.store.replay import apply_all
from penholder.web import create_app
from template import zero_draft


@dataclass
class Api:
    client: TestClient
    engine: Engine
    draft_id: int
    tokens: dict[str, str] = field(default_factory=dict)

    def get(self, path: str, who: str, **kw):  # type: ignore[no-untyped-def]
        return self.client.get(path, headers={"Authorization": f"Bearer {self.tokens[who]}"}, **kw)

    def post(self, path: str, who: str, json=None, **kw):  # type: ignore[no-untyped-def]
        return self.client.post(path, headers={"Authorization": f"Bearer {self.tokens[who]}"}, json=json, **kw)

    def put(self, path: str, who: str, json=None):  # type: ignore[no-untyped-def]
        return self.client.put(path, headers={"Authorization": f"Bearer {self.tokens[who]}"}, json=json)

    def d(self, rest: str = "") -> str:
        return f"/api/drafts/{self.draft_id}{rest}"

    def file(self, who: str, **body):  # type: ignore[no-untyped-def]
        r = self.post(self.d("/amendments"), who, json=body)
        assert r.status_code == 201, r.text
        return r.json()

    def act(self, who: str, amendment_id: int, action: str, **body):  # type: ignore[no-untyped-def]
        return self.post(f"/api/amendments/{amendment_id}/{action}", who, json=body)


@contextmanager
def api(database_url: str, users: list[tuple[str, str | None, str]],
        before: Callable[[Engine, int, dict[str, int]], None] | None = None) -> Iterator[Api]:
    """`before(engine, draft_id, user_ids)` runs before the app starts (to write log entries
    no loaded room has to know about)."""
    engine = make_engine(database_url)
    draft_id = zero_draft(engine)
    tokens, ids = {}, {}
    for name, delegation, role in users:
        user, tokens[name] = create_user(engine, name, delegation, role)
        ids[name] = user.id
    if before is not None:
        before(engine, draft_id, ids)
    try:
        with TestClient(create_app(engine)) as client:
            yield Api(client, engine, draft_id, tokens)
    finally:
        engine.dispose()


def edit_paragraph(engine: Engine, draft_id: int, user_id: int, paragraph_id: str, old: str, new: str,
                   at: datetime, origin: str | None = None) -> int:
    """Replace `old` by `new` in a paragraph's text as one logged update by `user_id`."""
    with Session(engine) as db, db.begin():
        last = db.scalar(select(Draft.last_seq).where(Draft.id == draft_id))
        doc = Doc()
        apply_all(doc, log_data_upto(db, draft_id, last))
        _, item = edits.find_paragraph(doc, paragraph_id)
        text = str(item["text"])
        start = text.index(old)
        before = doc.get_state()
        with doc.transaction():
            edits.replace_text(item["text"], start, start + len(old), new)
        user = db.get(User, user_id)
        seq = append_update(db, draft_id, doc.get_update(before), user_id=user_id,
                            delegation_id=user.delegation_id if user else None, origin=origin)
        db.execute(update(Update).where(Update.draft_id == draft_id, Update.seq == seq).values(created_at=at))
        return seq
