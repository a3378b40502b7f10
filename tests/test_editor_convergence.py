"""A property of the editor binding: random edits interleaved from several browser pages
and a pycrdt client converge, and every page shows exactly the Y document's text (its
words, its lead, its footnote marks)."""

from __future__ import annotations

import asyncio
import random
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pycrdt import Array

from browser import editor, need_chromium, new_context, open_draft
from live import LiveServer
from server import Server
from yclient import YClient
from penholder.sync.edits import replace_text

PARAGRAPHS = ["res-79-53.pp2", "res-79-53.pp3", "res-79-53.pp4"]
WORDS = ["alpha ", "beta", " gamma", "δέλτα ", "日本", " e\u0301", "🙂 ", "x"]
SHOWN = """id => { const el = document.querySelector(`.para[data-id="${id}"] .ql-editor`);
  const c = el.cloneNode(true); const marks = [...c.querySelectorAll('sup.fn')].map(s => s.dataset.fn);
  c.querySelectorAll('sup.fn').forEach(s => s.remove());
  const em = el.querySelector('p > em:first-child');
  return [c.textContent, em ? em.textContent : '', marks] }"""


class Loop:
    """An event loop on a thread for the pycrdt client, beside Playwright's sync API."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro):  # type: ignore[no-untyped-def]
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(60)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    s = LiveServer(f"sqlite:///{tmp_path / 'p.db'}")
    s.seed([("Amélie Durand", "France", "penholder"), ("Omar Farouk", "Egypt", "penholder"),
            ("Sam Clerk", None, "secretariat"), ("Bot", "Chile", "penholder")])
    s.start()
    yield s
    s.stop()


def y_view(client: YClient, paragraph_id: str) -> list[object]:
    text = client.text(paragraph_id)
    lead = ""
    marks = []
    leading = True
    for insert, attrs in text.diff():
        if isinstance(insert, str):
            if leading and attrs and attrs.get("italic"):
                lead += insert
            elif insert:
                leading = False
        else:
            marks.append(insert["footnote"])
    return [str(text), lead, marks]


@pytest.mark.parametrize("seed", [1, 2])
def test_random_interleaved_edits_converge_and_every_page_shows_the_y_text(seed: int, browser, server: Server,  # type: ignore[no-untyped-def]
                                                                            tmp_path: Path):
    need_chromium()
    rnd = random.Random(seed)
    loop = Loop()
    bot = YClient(server.ws(server.tokens["Bot"]))
    try:
        loop.run(bot.connect())
        context = new_context(browser)
        try:
            pages = [open_draft(context, server, server.tokens[who])
                     for who in ("Amélie Durand", "Omar Farouk", "Sam Clerk")]
            labels = {pid: f"PP{pid.rsplit('pp', 1)[1]}" for pid in PARAGRAPHS}
            for _ in range(30):
                pid = rnd.choice(PARAGRAPHS)
                actor = rnd.randrange(len(pages) + 1)
                if actor == len(pages):
                    async def edit(pid: str = pid) -> None:
                        n = len(str(bot.text(pid)))
                        start = rnd.randrange(n + 1)
                        end = min(n, start + rnd.choice([0, 0, 1, 3]))
                        replace_text(bot.text(pid), start, end, rnd.choice(WORDS))
                    loop.run(edit())
                    continue
                page = pages[actor]
                editor(page, labels[pid]).click()
                page.keyboard.press("Control+Home")
                right = rnd.randrange(0, 12)
                for _ in range(right):
                    page.keyboard.press("ArrowRight")
                if rnd.random() < 0.3:
                    page.keyboard.press("Shift+ArrowRight")
                    page.keyboard.press("Shift+ArrowRight")
                for _ in range(min(right, rnd.choice([0, 0, 1, 2]))):  # never a join at the start
                    page.keyboard.press("Backspace")
                page.keyboard.type(rnd.choice(WORDS))
            # Everyone converges on one text per paragraph, shown exactly by every page:
            # polled until the pages and the pycrdt client agree.
            async def y_state() -> dict[str, list[object]]:
                return {pid: y_view(bot, pid) for pid in PARAGRAPHS}
            deadline = time.monotonic() + 30
            while True:
                final = loop.run(y_state())
                shown = [{pid: page.evaluate(SHOWN, pid) for pid in PARAGRAPHS} for page in pages]
                if all(v == final for v in shown) or time.monotonic() > deadline:
                    break
                pages[0].wait_for_timeout(100)
            body = server.get(f"/api/drafts/{server.draft_id}", server.tokens["Sam Clerk"]).json()
            for p in body["preamble"]:
                if p["id"] in final:
                    assert p["text"] == final[p["id"]][0]
                    assert p["lead"] == str(final[p["id"]][1]).strip()
            for page in pages:
                for pid in PARAGRAPHS:
                    assert page.evaluate(SHOWN, pid) == final[pid]
            paragraphs = [p["id"] for p in bot.doc.get("paragraphs", type=Array)]
            assert all(page.evaluate("() => [...document.querySelectorAll('.para')].map(p => p.dataset.id)")
                       == paragraphs for page in pages)
        finally:
            context.close()
    finally:
        loop.run(bot.close())
        loop.close()
