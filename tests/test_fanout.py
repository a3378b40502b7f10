"""Two servers on one database, Redis between them: clients of the same draft on different
processes see each other's edits and presence. One server is a `penholder serve` process,
the other runs in the test's own process (tests/live.py): still two processes that only
Redis and the database join, for one process start instead of two. The pair serves every
test of the module on each database: none of them depends on what another did."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator

import pytest
import redis
from pycrdt import Map

from penholder.sync import protocol
from live import LiveServer
from server import Server
from template import new_postgres_schema, release_postgres_schema
from yclient import YClient

REDIS_URL = os.environ.get("PENHOLDER_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PP2 = "res-79-53.pp2"


@pytest.fixture(scope="module")
def redis_up() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is not reachable at {REDIS_URL}: {exc}. These tests need it (CI runs it).",
                    pytrace=False)
    return REDIS_URL


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def pair(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
         redis_up: str) -> Iterator[tuple[Server, Server]]:
    if request.param == "sqlite":
        database_url = f"sqlite:///{tmp_path_factory.mktemp('fanout') / 'penholder.db'}"
    else:
        admin = request.getfixturevalue("postgres_admin")
        database_url = new_postgres_schema(admin)
    one = Server(database_url, extra_args=["--redis-url", redis_up])
    one.seed([("fr", "France", "penholder"), ("eg", "Egypt", "penholder"), ("gh", "Ghana", "delegate")])
    two = LiveServer(database_url, redis_url=redis_up)
    two.tokens, two.draft_id = one.tokens, one.draft_id
    one.start()
    two.start()
    yield one, two
    one.stop()
    two.stop()
    if request.param == "postgresql":
        release_postgres_schema(admin, database_url)


def test_clients_on_two_processes_converge(pair):
    one, two = pair

    async def main():
        a = await YClient(one.ws(one.tokens["fr"])).connect()
        b = await YClient(two.ws(two.tokens["eg"])).connect()
        for i in range(10):
            a.insert(PP2, 0, f"[fr{i}]")
            b.insert(PP2, len(str(b.text(PP2))) - 1, f"[eg{i}]")
        done = lambda c: all(f"[fr{i}]" in str(c.text(PP2)) and f"[eg{i}]" in str(c.text(PP2)) for i in range(10))  # noqa: E731
        await a.wait_for(lambda: done(a))
        await b.wait_for(lambda: done(b))
        assert str(a.text(PP2)) == str(b.text(PP2))

        # presence crosses too, and so does its end when the client leaves
        await a.send_raw(protocol.encode_awareness([protocol.AwarenessEntry(4242, 1, '{"user":{"name":"fr"}}')]))
        # relayed under the account's own name and delegation, whatever the client claimed
        await a.send_raw(protocol.encode_awareness([protocol.AwarenessEntry(4243, 1, '{"user":{"name":"Egypt"}}')]))
        await b.wait_for(lambda: 4243 in b.awareness)
        assert json.loads(b.awareness[4243]) == {"user": {"name": "fr", "delegation": "France"}}
        assert json.loads(b.awareness[4242]) == {"user": {"name": "fr", "delegation": "France"}}
        text = str(a.text(PP2))
        await a.close()
        await b.wait_for(lambda: b.awareness.get(4242) == "null" and b.awareness.get(4243) == "null")
        await b.close()
        return text

    merged = asyncio.run(main())
    for s in (one, two):
        body = s.get(f"/api/drafts/{s.draft_id}", s.tokens["fr"]).json()
        assert [p["text"] for p in body["preamble"] if p["id"] == PP2] == [merged]


def test_a_proposal_filed_on_one_process_reaches_the_clients_of_the_other(pair):
    one, two = pair

    async def main():
        b = await YClient(two.ws(two.tokens["eg"])).connect()
        r = one.post(f"/api/drafts/{one.draft_id}/amendments", one.tokens["gh"], json={
            "operation": "replace_text", "paragraph_id": "res-79-53.pp7", "target_text": "both women and men",
            "new_text": "everyone"})
        assert r.status_code == 201, r.text
        proposals = b.doc.get("proposals", type=Map)
        await b.wait_for(lambda: "1" in proposals)
        assert proposals["1"]["sponsor"] == "Ghana"
        await b.close()

    asyncio.run(main())
