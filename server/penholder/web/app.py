"""The Starlette application: REST routes, the websocket route, one engine and one set
of rooms per process."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.authentication import AuthenticationMiddleware
from starlette.routing import Mount, Route, WebSocketRoute

from penholder.amend.review import Review
from penholder.amend.service import Amendments, FilingLimit
from penholder.ingest import MAX_BYTES
from penholder.store import Engine, make_engine
from penholder.store.db import require_current
from penholder.sync.fanout import RedisFanout
from penholder.sync.persistence import SqlHooks
from penholder.sync.room import Rooms
from penholder.web import account, amendments, comments, drafts, library, me, review, sso, upload_review, ws
from penholder.web.auth import TokenBackend, refuse_unauthenticated
from penholder.web.errors import HANDLERS
from penholder.web.headers import SecurityHeaders
from penholder.web.limits import BodyLimit
from penholder.web.openapi import openapi
from penholder.web.static import STATIC, ClientFiles

log = logging.getLogger(__name__)


def create_app(engine: Engine | None = None, *, database_url: str | None = None,
               snapshot_every: int = 1000, redis_url: str | None = None,
               filing_limit: FilingLimit | None = None, recheck_s: float = ws.RECHECK_S) -> Starlette:
    engine = engine or make_engine(database_url)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        require_current(engine)
        app.state.engine = engine
        app.state.rechecks = ws.Rechecks(engine, recheck_s)  # open websockets' tokens, checked again
        async def derived(draft_id: int) -> dict[str, dict[str, Any]]:
            return {"proposals": await app.state.amendments.proposals_view(draft_id),
                    "comments": await app.state.review.comments.counts(draft_id)}

        app.state.hooks = SqlHooks(engine, snapshot_every=snapshot_every, view=derived)  # starts the writer thread
        # Processes on one database share channels; other deployments on the same Redis
        # (or test runs) must not hear them.
        db_key = hashlib.sha1(engine.url.render_as_string(hide_password=True).encode()).hexdigest()[:12]
        fanout = RedisFanout(redis_url, prefix=f"penholder:{db_key}") if redis_url else None
        if fanout:
            await fanout.start()
        app.state.rooms = Rooms(app.state.hooks, fanout)
        app.state.amendments = Amendments(engine, app.state.rooms, filing_limit or FilingLimit())
        app.state.review = Review(app.state.amendments)
        rechecks = asyncio.create_task(app.state.rechecks.run())
        try:
            yield
        finally:
            rechecks.cancel()
            if fanout:
                await fanout.stop()
            app.state.hooks.close()

    routes = [
        Route("/api/openapi.json", openapi),
        Route("/api/me", me.show),
        Route("/api/me/password", account.change_password, methods=["PUT"]),
        Route("/api/session", account.sign_in_route, methods=["POST"]),
        Route("/api/session", account.sign_out, methods=["DELETE"]),
        Route("/api/sessions", account.sign_out_everywhere, methods=["DELETE"]),
        Route("/api/links/redeem", account.redeem_link, methods=["POST"]),
        Route("/api/password-reset", account.password_reset, methods=["POST"]),
        Route("/api/people", account.list_people),
        Route("/api/delegations", account.create_delegation, methods=["POST"]),
        Route("/api/invitations", account.invite, methods=["POST"]),
        Route("/api/tokens", account.list_own_tokens, methods=["GET"]),
        Route("/api/tokens", account.create_token, methods=["POST"]),
        Route("/api/tokens/{token_id:int}", account.revoke_token, methods=["DELETE"]),
        Route("/api/drafts/{draft_id:int}/facilitators", account.list_facilitators, methods=["GET"]),
        Route("/api/drafts/{draft_id:int}/facilitators", account.change_facilitators, methods=["POST", "DELETE"]),
        Route("/api/drafts/{draft_id:int}/settings", account.draft_settings, methods=["PUT"]),
        Route("/api/drafts", drafts.list_all, methods=["GET"]),
        Route("/api/drafts", drafts.create, methods=["POST"]),
        Route("/api/drafts/preview", upload_review.preview, methods=["POST"]),
        Route("/api/drafts/{draft_id:int}", drafts.show),
        Route("/api/drafts/{draft_id:int}/history", drafts.history),
        Route("/api/drafts/{draft_id:int}/export", drafts.export),
        Route("/api/drafts/{draft_id:int}/package", drafts.package),
        Route("/api/drafts/{draft_id:int}/amendments", amendments.list_for_draft, methods=["GET"]),
        Route("/api/drafts/{draft_id:int}/amendments", amendments.file, methods=["POST"]),
        Route("/api/drafts/{draft_id:int}/amendments/import", review.import_proposals, methods=["POST"]),
        Route("/api/drafts/{draft_id:int}/compilation", review.compilation),
        Route("/api/drafts/{draft_id:int}/changes", review.changes),
        Route("/api/drafts/{draft_id:int}/activity", review.activity),
        Route("/api/drafts/{draft_id:int}/comments", comments.list_for_draft, methods=["GET"]),
        Route("/api/drafts/{draft_id:int}/comments", comments.post, methods=["POST"]),
        Route("/api/comments/{comment_id:int}/resolve", comments.resolve, methods=["POST"]),
        Route("/api/comments/{comment_id:int}/reopen", comments.resolve, methods=["POST"]),
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
        Route("/api/drafts/{draft_id:int}/checks", library.draft_checks),
        Route("/api/drafts/{draft_id:int}/checks/references", library.update_references, methods=["POST"]),
        Route("/api/amendments/{amendment_id:int}", amendments.show),
        Route("/api/amendments/{amendment_id:int}/agreed-language", library.agreed_language),
        Route("/api/amendments/{amendment_id:int}/cosponsors", amendments.cosponsor, methods=["POST", "DELETE"]),
        Route("/api/amendments/{amendment_id:int}/preview", amendments.preview, methods=["POST"]),
        Route("/api/amendments/{amendment_id:int}/{action:str}", amendments.act, methods=["POST"]),
        Route("/api/library", library.list_all, methods=["GET"]),
        Route("/api/library", library.add, methods=["POST"]),
        Route("/api/library/search", library.search),
        WebSocketRoute("/ws/drafts/{draft_id:int}", ws.draft_socket),
        Route("/auth/oidc", sso.status),
        Route("/auth/oidc/start", sso.start),
        Route("/auth/oidc/callback", sso.callback),
        # last: the browser client, the one thing served without a token (it holds no data)
        Mount("/", app=ClientFiles(), name="client"),
    ]
    middleware = [  # outermost first: every answer, a 401 or a 413 too, carries the headers
        Middleware(SecurityHeaders, pages=STATIC),
        Middleware(BodyLimit, default=amendments.MAX_BODY, larger={
            r"/api/drafts": MAX_BYTES + 65536,
            r"/api/library": MAX_BYTES + 65536,  # an adopted resolution, as large as a draft's source
            r"/api/drafts/preview": MAX_BYTES + 65536,
            r"/api/drafts/\d+/amendments/import": review.IMPORT_MAX_BYTES + 65536}),
        Middleware(AuthenticationMiddleware, backend=TokenBackend(), on_error=refuse_unauthenticated),
    ]
    return Starlette(routes=routes, middleware=middleware, exception_handlers=HANDLERS,  # type: ignore[arg-type]
                     lifespan=lifespan)
