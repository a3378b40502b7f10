"""The Starlette application: REST routes, the websocket route, one engine and one set
of rooms per process."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import Engine
from starlette.applications import Starlette
from starlette.routing import Mount, Route, WebSocketRoute

from penholder.amend.review import Review
from penholder.amend.service import Amendments
from penholder.store import make_engine
from penholder.store.db import require_current
from penholder.sync.fanout import RedisFanout
from penholder.sync.persistence import SqlHooks
from penholder.sync.room import Rooms
from penholder.web import amendments, drafts, me, review, ws
from penholder.web.errors import HANDLERS
from penholder.web.openapi import openapi
from penholder.web.static import ClientFiles

log = logging.getLogger(__name__)


def create_app(engine: Engine | None = None, *, database_url: str | None = None,
               snapshot_every: int = 1000, redis_url: str | None = None,
               recheck_s: float = ws.RECHECK_S) -> Starlette:
    engine = engine or make_engine(database_url)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        require_current(engine)
        app.state.engine = engine
        app.state.recheck_s = recheck_s  # how often an open websocket's token is checked again
        app.state.hooks = SqlHooks(  # starts the writer thread
            engine, snapshot_every=snapshot_every,
            view=lambda draft_id: app.state.amendments.proposals_view(draft_id))
        # Processes on one database share channels; other deployments on the same Redis
        # (or test runs) must not hear them.
        db_key = hashlib.sha1(engine.url.render_as_string(hide_password=True).encode()).hexdigest()[:12]
        fanout = RedisFanout(redis_url, prefix=f"penholder:{db_key}") if redis_url else None
        if fanout:
            await fanout.start()
        app.state.rooms = Rooms(app.state.hooks, fanout)
        app.state.amendments = Amendments(engine, app.state.rooms)
        app.state.review = Review(app.state.amendments)
        try:
            yield
        finally:
            if fanout:
                await fanout.stop()
            app.state.hooks.close()

    routes = [
        Route("/api/openapi.json", openapi),
        Route("/api/me", me.show),
        Route("/api/drafts", drafts.list_all, methods=["GET"]),
        Route("/api/drafts", drafts.create, methods=["POST"]),
        Route("/api/drafts/{draft_id:int}", drafts.show),
        Route("/api/drafts/{draft_id:int}/history", drafts.history),
        Route("/api/drafts/{draft_id:int}/export", drafts.export),
        Route("/api/drafts/{draft_id:int}/amendments", amendments.list_for_draft, methods=["GET"]),
        Route("/api/drafts/{draft_id:int}/amendments", amendments.file, methods=["POST"]),
        Route("/api/drafts/{draft_id:int}/amendments/import", review.import_proposals, methods=["POST"]),
        Route("/api/drafts/{draft_id:int}/compilation", review.compilation),
        Route("/api/drafts/{draft_id:int}/paragraphs/{paragraph_id:str}/history", review.paragraph_history),
        Route("/api/drafts/{draft_id:int}/delegations/{name:str}", review.delegation),
        Route("/api/drafts/{draft_id:int}/revisions", review.list_revisions, methods=["GET"]),
        Route("/api/drafts/{draft_id:int}/revisions", review.cut_revision, methods=["POST"]),
        Route("/api/drafts/{draft_id:int}/revisions/{number:int}", review.show_revision),
        Route("/api/drafts/{draft_id:int}/revisions/{number:int}/paragraphs/{paragraph_id:str}",
              review.set_standing, methods=["PUT"]),
        Route("/api/drafts/{draft_id:int}/sponsors", review.list_sponsors, methods=["GET"]),
        Route("/api/drafts/{draft_id:int}/sponsors", review.change_sponsors, methods=["POST", "DELETE"]),
        Route("/api/drafts/{draft_id:int}/table", review.table, methods=["POST"]),
        Route("/api/amendments/{amendment_id:int}", amendments.show),
        Route("/api/amendments/{amendment_id:int}/cosponsors", amendments.cosponsor, methods=["POST", "DELETE"]),
        Route("/api/amendments/{amendment_id:int}/{action:str}", amendments.act, methods=["POST"]),
        WebSocketRoute("/ws/drafts/{draft_id:int}", ws.draft_socket),
        # last: the browser client, the one thing served without a token (it holds no data)
        Mount("/", app=ClientFiles(), name="client"),
    ]
    return Starlette(routes=routes, exception_handlers=HANDLERS, lifespan=lifespan)  # type: ignore[arg-type]
