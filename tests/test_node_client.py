"""A stock Yjs client (yjs + y-websocket from npm, tests/node/client.mjs) and a pycrdt
client edit the same paragraph at once, against a real server."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from live import LiveServer
from server import ROOT, Server
from yclient import YClient

NODE_DIR = ROOT / "tests" / "node"
PP2 = "res-79-53.pp2"


@pytest.fixture(scope="module")
def node() -> str:
    exe = shutil.which("node")
    if exe is None or not (NODE_DIR / "node_modules" / "yjs").is_dir():
        pytest.fail("node and tests/node/node_modules are needed: run `make install`", pytrace=False)
    return exe


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = LiveServer(f"sqlite:///{tmp_path / 'p.db'}")
    s.seed([("fr", "France", "penholder"), ("eg", "Egypt", "penholder"), ("obs", "Holy See", "observer")])
    s.start()
    yield s
    s.stop()


async def node_client(node: str, server: Server, token: str, *args: str) -> dict:
    proc = await asyncio.create_subprocess_exec(
        node, str(NODE_DIR / "client.mjs"), "--url", f"ws://127.0.0.1:{server.port}/ws/drafts",
        "--draft", str(server.draft_id), "--token", token, *args,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 0, err.decode()
    return json.loads(out.decode().strip().splitlines()[-1])


def node_text(result: dict, paragraph_id: str) -> str:
    return next(p["text"] for p in result["paragraphs"] if p["id"] == paragraph_id)


def test_node_and_pycrdt_clients_edit_one_paragraph_at_once(node: str, server: Server):
    async def main():
        py = await YClient(server.ws(server.tokens["eg"])).connect()
        js = asyncio.create_task(node_client(
            node, server, server.tokens["fr"], "--insert-at", f"{PP2}:24: [node]",
            "--expect-text", f"{PP2}:[pycrdt]", "--wait-ms", "300"))
        await py.wait_for(lambda: "[node]" in str(py.text(PP2)), timeout=30)
        py.insert(PP2, 0, "[pycrdt] ")
        result = await js
        await py.wait_for(lambda: str(py.text(PP2)) == node_text(result, PP2))
        await py.close()
        return node_text(result, PP2)

    merged = asyncio.run(main())
    assert merged.startswith("[pycrdt] Expressing grave concern [node] over the devastation")
    body = server.get(f"/api/drafts/{server.draft_id}", server.tokens["obs"]).json()
    assert next(p["text"] for p in body["preamble"] if p["id"] == PP2) == merged


def test_node_client_offline_edits_merge_on_reconnect(node: str, server: Server, tmp_path: Path):
    state = tmp_path / "fr.bin"

    async def main():
        await node_client(node, server, server.tokens["fr"], "--save-state", str(state))
        py = await YClient(server.ws(server.tokens["eg"])).connect()
        py.insert(PP2, 0, "[online meanwhile] ")
        await asyncio.sleep(0.3)
        result = await node_client(node, server, server.tokens["fr"], "--state", str(state), "--offline-first",
                                   "--insert-at", f"{PP2}:end: [edited offline]",
                                   "--expect-text", f"{PP2}:[online meanwhile]", "--wait-ms", "300")
        await py.wait_for(lambda: "[edited offline]" in str(py.text(PP2)))
        await py.close()
        return node_text(result, PP2)

    text = asyncio.run(main())
    assert text.startswith("[online meanwhile] ") and text.endswith(" [edited offline]")
    body = server.get(f"/api/drafts/{server.draft_id}", server.tokens["fr"]).json()
    assert next(p["text"] for p in body["preamble"] if p["id"] == PP2) == text


def test_node_client_sees_the_refusals(node: str, server: Server):
    async def main():
        result = await node_client(node, server, server.tokens["obs"], "--insert-at", f"{PP2}:0:X",
                                   "--wait-ms", "1000", "--no-reconnect")
        assert result["closeCode"] == 4403 and "read-only" in result["closeReason"]
        proc = await asyncio.create_subprocess_exec(
            node, str(NODE_DIR / "client.mjs"), "--url", f"ws://127.0.0.1:{server.port}/ws/drafts",
            "--draft", str(server.draft_id), "--token", "forged", "--no-reconnect",
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        out, _ = await asyncio.wait_for(proc.communicate(), 30)
        assert proc.returncode == 1
        assert json.loads(out.decode().strip().splitlines()[-1])["closeCode"] == 4401
    asyncio.run(main())
