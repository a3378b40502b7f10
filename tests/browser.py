"""Helpers for the browser tests: Debian's headless Chromium through Playwright against a
real server, and what a page shows of a paragraph."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from server import ROOT, Server

try:
    from playwright import sync_api as playwright_api
except ImportError:  # the tests that need it fail, with the reason (never skip)
    playwright_api = None

CHROMIUM = "/usr/bin/chromium"
# Several people's pages share a window as tabs; headless Chromium draws only the front tab
# at full rate, so in the others every action waited about a second for two animation
# frames (Playwright's stability check). Without the limit every tab draws when it changes,
# as each person's own window would.
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-frame-rate-limit"]
STATIC = ROOT / "server" / "penholder" / "web" / "static"
PP2, PP3 = "res-79-53.pp2", "res-79-53.pp3"

# The text of a paragraph as a reader sees it: no footnote marks (as in the REST API).
TEXT_OF = """id => { const el = document.querySelector(`.para[data-id="${id}"] .ql-editor`); if (!el) return null;
  const c = el.cloneNode(true); c.querySelectorAll('sup.fn').forEach(s => s.remove()); return c.textContent }"""

# Select `word` inside a paragraph's text, as a user dragging over it would.
SELECT = """([id, word]) => { const textEl = document.querySelector(`.para[data-id="${id}"] .ql-editor`);
  const walker = document.createTreeWalker(textEl, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) { const at = n.data.indexOf(word);
    if (at >= 0) { const r = document.createRange(); r.setStart(n, at); r.setEnd(n, at + word.length);
      textEl.focus(); getSelection().removeAllRanges(); getSelection().addRange(r); return true } }
  return false }"""

# Where a word of a paragraph's text is on the screen, to press or release the mouse on:
# its first letter (side 'start') or its last ('end').
DRAG = """([id, word, side]) => { const root = document.querySelector(`.para[data-id="${id}"] .ql-editor`);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) { const at = n.data.indexOf(word);
    if (at >= 0) { const r = document.createRange(); r.setStart(n, at); r.setEnd(n, at + word.length);
      const box = r.getClientRects()[0]; return {x: side === 'start' ? box.left + 1 : box.right - 1, y: box.top + box.height / 2} } }
  return null }"""

# What Ctrl+C puts on the clipboard (text/plain) from the page's selection now.
COPY = """() => new Promise(resolve => { document.addEventListener('copy',
  e => resolve(e.clipboardData.getData('text/plain')), {once: true}); document.execCommand('copy') })"""

# The paragraphs' ids in the page's order.
IDS = "() => [...document.querySelectorAll('.para')].map(p => p.dataset.id)"


def need_chromium() -> str:
    if playwright_api is None:
        pytest.fail("the Python package playwright is needed: pip install -e '.[test]'", pytrace=False)
    if not Path(CHROMIUM).is_file() or not (STATIC / "app.js").is_file():
        pytest.fail(f"{CHROMIUM} and the built client are needed: run `make install browser-apt`", pytrace=False)
    return CHROMIUM


@pytest.fixture(scope="module")
def chromium() -> str:
    """Chromium and the built client are there (a module may ask for more of the build)."""
    return need_chromium()


@pytest.fixture(scope="module")
def chromium_browser(chromium: str) -> Iterator[Any]:
    """One Chromium for the tests of a module (starting one takes seconds). Module, not
    session: while Playwright's sync API runs, the test's thread has a running event
    loop, and the other modules' tests call asyncio.run."""
    with playwright_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def browser(chromium_browser) -> Iterator[Any]:  # type: ignore[no-untyped-def]
    """The module's Chromium; every context a test opens in it is closed after the test,
    so that no page, storage or cookie passes to the next."""
    yield chromium_browser
    for context in list(chromium_browser.contexts):
        context.close()


def new_context(browser, width: int = 1280, height: int = 1100):  # type: ignore[no-untyped-def]
    """A fresh context (its own storage, cookies and IndexedDB), as a new profile is."""
    return browser.new_context(viewport={"width": width, "height": height})


def open_draft(context, server: Server, token: str):  # type: ignore[no-untyped-def]
    page = context.new_page()
    page.goto(f"{server.http}/#draft={server.draft_id}")
    page.fill("#token", token)
    page.click("#signin button")
    page.wait_for_selector("body[data-ready]", timeout=20000)
    page.wait_for_selector(f'.para[data-id="{PP2}"] .ql-editor', timeout=20000)
    return page


def text(page, paragraph_id: str) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate(TEXT_OF, paragraph_id)


def wait_text(page, paragraph_id: str, predicate_js: str, timeout: float = 10000) -> None:  # type: ignore[no-untyped-def]
    """Wait until `predicate_js` (a JS expression over `t`, the paragraph's text) holds."""
    page.wait_for_function(f"id => {{ const t = ({TEXT_OF})(id); return t !== null && ({predicate_js}) }}",
                           arg=paragraph_id, timeout=timeout)


def editor(page, label: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("textbox", name=label, exact=True)


def rest_paragraph(server: Server, paragraph_id: str, token: str) -> dict:  # type: ignore[type-arg]
    body = server.get(f"/api/drafts/{server.draft_id}", token).json()
    for p in body["preamble"] + body["operative"]:
        for q in [p, *p.get("subparagraphs", []), *[s for sub in p.get("subparagraphs", []) for s in sub.get("subparagraphs", [])]]:
            if q["id"] == paragraph_id:
                return q  # type: ignore[no-any-return]
    raise KeyError(paragraph_id)
