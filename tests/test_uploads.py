"""Uploads are bounded and parsed off the server's loop: one delegation's large list does
not stall anyone else, and a file over the limit gets a 413 that says the limit."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest

from inprocess import App, running
from penholder.amend.service import FilingLimit
from penholder.ingest.proposals import read_proposals

USERS = [("eg", "Egypt", "delegate"), ("obs", "Holy See", "observer")]


@pytest.fixture
def app(tmp_path) -> Iterator[App]:
    with running(f"sqlite:///{tmp_path / 'u.db'}", USERS, filing_limit=FilingLimit(100_000, 3600)) as a:
        yield a


def proposal_list(size: int, words: int = 300) -> bytes:
    item = " ".join(["Encourages Member States to strengthen cooperation"] * (words // 6))
    out, i = [], 0
    while sum(map(len, out)) < size:
        i += 1
        out.append(f"{i}. Heading number {i}: {item};\n\n")
    return "".join(out).encode()


def upload(app: App, data: bytes, token: str) -> httpx.Response:
    return app.post(f"/api/drafts/{app.draft_id}/amendments/import", token,
                    files={"file": ("list.txt", data, "text/plain")}, data={"delegation": "Egypt"})


def test_importing_a_1_mb_list_leaves_everyone_else_answered_meanwhile(app: App):
    """Another user's requests are answered while the list is still being read and filed:
    if the parse held the loop, no answer could come back before the import ended."""
    data = proposal_list(1_000_000)
    done: dict[str, httpx.Response] = {}
    importer = threading.Thread(target=lambda: done.update(r=upload(app, data, app.tokens["eg"])))
    importer.start()
    answered_during_import = 0
    while importer.is_alive():
        r = app.get("/api/me", app.tokens["obs"])
        assert r.status_code == 200
        answered_during_import += importer.is_alive()
    importer.join()
    r = done["r"]
    assert r.status_code == 201, r.text[:300]
    assert len(r.json()["filed"]) == len(read_proposals(data.decode()).items) > 300
    assert answered_during_import >= 5, f"only {answered_during_import} answers came back during the import"


def test_a_list_over_the_limit_is_refused_with_413_and_nothing_filed(app: App):
    r = upload(app, proposal_list(4_200_000), app.tokens["eg"])
    assert r.status_code == 413 and "the limit here is 4.1 MB" in r.json()["error"]
    listed = app.get(f"/api/drafts/{app.draft_id}/amendments", app.tokens["eg"]).json()["amendments"]
    assert listed == []


def test_a_streamed_body_over_the_limit_is_refused_without_a_length(app: App):
    def chunks() -> Iterator[bytes]:
        for _ in range(40):
            yield b" " * 10_000
    r = app.post(f"/api/drafts/{app.draft_id}/amendments", app.tokens["eg"], content=chunks(),
                 headers={"content-type": "application/json"})
    assert r.status_code == 413 and "limit here is 262 kB" in r.json()["error"]


def test_a_list_that_is_a_resolution_or_binary_gets_a_clear_422(app: App):
    r = upload(app, bytes(range(256)) * 100, app.tokens["eg"])
    assert r.status_code == 422 and "error" in r.json()
    from seeds import RES_79_53
    r = upload(app, RES_79_53.read_bytes(), app.tokens["eg"])
    assert r.status_code == 422 and "a resolution, not a list of proposals" in r.json()["error"]


def test_a_long_item_is_read_whole_whether_hard_wrapped_or_cut_into_blocks():
    """One block of many hard-wrapped lines, and one item continued over many blocks, the
    shapes that once made the reader quadratic: every line ends up in the third item,
    joined by single spaces. How its time grows with the length is measured in
    benchmarks/proposals_bench.py (as a ratio, in the same run)."""
    line = "continued text of the third item, many words"
    head = "1. One: Encourages States;\n\n2. Two: Requests;\n\n3. Three: Decides"
    for sep in ("\n", "\n\n"):
        res = read_proposals(head + sep + sep.join([line] * 2_500))
        assert [p.heading for p in res.items] == ["One", "Two", "Three"]
        assert [p.text for p in res.items[:2]] == ["Encourages States;", "Requests;"]
        assert res.items[2].text == " ".join(["Decides", *[line] * 2_500])
