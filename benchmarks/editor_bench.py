"""The browser editor in Chromium: keystroke latency to another page, and the time to open
a large draft, each beside a bare page that binds the same Y.Text with y-websocket
(benchmarks/editor_bare.js), measured in the same run against the same server.

1. Keystrokes: a penholder types 500 characters at the end of PP2 (one every 40 ms); the
   time from each keydown in the typing page to the moment the other page's DOM shows it
   (timestamps from both pages' clocks, performance.timeOrigin + now). Printed: p50, p99.
2. Opening: a 60-paragraph draft with 50 pending proposals, from the sign-in (or, for the
   bare page, from its start) to every paragraph editable. Printed: median of 5.

    .venv/bin/python benchmarks/editor_bench.py [--keys 500]
"""

from __future__ import annotations

import argparse
import os
import functools
import http.server
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "server"))
sys.path.insert(0, str(ROOT / "tests"))

from browser import ARGS, CHROMIUM, PP2, need_chromium, open_draft, playwright_api  # noqa: E402
from server import Server  # noqa: E402

RECORD_ARRIVALS = """id => { window.arrivals = []; const el = document.querySelector(id);
  new MutationObserver(() => window.arrivals.push([performance.timeOrigin + performance.now(),
    el.textContent.length])).observe(el, {subtree: true, childList: true, characterData: true}) }"""
RECORD_KEYS = """() => { window.keys = []; document.addEventListener('keydown',
  () => window.keys.push(performance.timeOrigin + performance.now()), true) }"""


def bare_bundle() -> str:
    src = (ROOT / "benchmarks" / "editor_bare.js").read_text()
    out = subprocess.run([str(ROOT / "client" / "node_modules" / ".bin" / "esbuild"), "--bundle", "--format=esm",
                          "--minify", "--loader=js"], input=src, cwd=ROOT / "client", capture_output=True,
                         text=True, check=True)
    return out.stdout


class BareSite:
    """The bare page on a loopback HTTP server of its own (a page from elsewhere may not
    open a websocket to a loopback address: Chromium's local network access checks)."""

    def __init__(self, root: Path, bundle: str) -> None:
        (root / "bare.js").write_text(bundle)
        (root / "bare.html").write_text("<!doctype html><body><div id=text></div>"
                                        "<script type=module src=bare.js></script></body>")
        handler = functools.partial(QuietHandler, directory=str(root))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/bare.html"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def bare_page(context, server: Server, token: str, site: BareSite):  # type: ignore[no-untyped-def]
    page = context.new_page()
    bench = json.dumps({"url": f"ws://127.0.0.1:{server.port}/ws/drafts", "draft": str(server.draft_id),
                        "token": token, "paragraph": PP2})
    page.add_init_script(f"window.BENCH = {bench}")
    page.goto(site.url)
    page.wait_for_selector("body[data-ready]", timeout=20000)
    return page


def latencies(typist, watcher, typist_sel: str, watcher_sel: str, keys: int) -> list[float]:  # type: ignore[no-untyped-def]
    watcher.evaluate(RECORD_ARRIVALS, watcher_sel)
    typist.evaluate(RECORD_KEYS)
    base = watcher.evaluate("s => document.querySelector(s).textContent.length", watcher_sel)
    typist.click(typist_sel)
    typist.keyboard.press("Control+End")
    typist.keyboard.type("abcdefghij" * (keys // 10), delay=40)
    watcher.wait_for_function("n => window.arrivals.length && window.arrivals.at(-1)[1] >= n", arg=base + keys,
                              timeout=60000)
    sent = typist.evaluate("() => window.keys")
    arrived = watcher.evaluate("() => window.arrivals")
    out = []
    for k, t in enumerate(sent[:keys], 1):
        first = next(a for a, n in arrived if n >= base + k)
        out.append(first - t)
    return out


def pct(xs: list[float], p: float) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, int(p / 100 * len(s)))]


def grow_draft(server: Server, token: str, paragraphs: int) -> None:
    body = server.get(f"/api/drafts/{server.draft_id}", token).json()
    have = len(body["preamble"]) + len(body["operative"])
    args = []
    for k in range(paragraphs - have):
        args += ["--create-paragraph", f"bench-op{k}:op", "--insert-at", f"bench-op{k}:0:Decides to keep paragraph {k} under review,"]
    if args:
        subprocess.run(["node", str(ROOT / "tests" / "node" / "client.mjs"), "--url", f"ws://127.0.0.1:{server.port}/ws/drafts",
                        "--draft", str(server.draft_id), "--token", token, *args], check=True, capture_output=True,
                       timeout=60)


def file_proposals(server: Server, token: str, n: int) -> None:
    body = server.get(f"/api/drafts/{server.draft_id}", token).json()
    paras = body["preamble"] + body["operative"]
    for k in range(n):
        p = paras[k % len(paras)]
        r = server.post(f"/api/drafts/{server.draft_id}/amendments", token, json={
            "operation": "insert_text", "paragraph_id": p["id"], "target_text": p["text"][:40], "position": "after",
            "new_text": f" (proposal {k})", "rationale": "benchmark"})
        assert r.status_code == 201, r.text


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--keys", type=int, default=500)
    ap.add_argument("--opens", type=int, default=5)
    args = ap.parse_args()
    need_chromium()
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "site").mkdir()
        site = BareSite(Path(tmp) / "site", bare_bundle())
        # The server refuses a websocket from another site's page: the bare page's origin
        # is declared the server's public one, as a deployment behind a proxy declares it.
        os.environ["PENHOLDER_PUBLIC_URL"] = site.url.rsplit("/", 1)[0]
        server = Server(f"sqlite:///{Path(tmp) / 'bench.db'}")
        server.seed([("Typist", "France", "penholder"), ("Reader", "Egypt", "penholder"),
                     ("Proposer", "Algeria", "delegate")])
        server.start()
        try:
            with playwright_api.sync_playwright() as pw:
                # Each page stands for a person at their own screen: none is a background
                # tab that Chromium would slow down.
                context = pw.chromium.launch_persistent_context(
                    str(Path(tmp) / "profile"), executable_path=CHROMIUM, headless=True,
                    args=[*ARGS, "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                          "--disable-backgrounding-occluded-windows"], viewport={"width": 1280, "height": 1100})
                try:
                    print(f"keystroke to another page, {args.keys} keys (ms):", flush=True)
                    a = open_draft(context, server, server.tokens["Typist"])
                    b = open_draft(context, server, server.tokens["Reader"])
                    editor_sel = f'.para[data-id="{PP2}"] .ql-editor'
                    ours = latencies(a, b, editor_sel, editor_sel, args.keys)
                    a.close(); b.close()
                    a = bare_page(context, server, server.tokens["Typist"], site)
                    b = bare_page(context, server, server.tokens["Reader"], site)
                    bare = latencies(a, b, "#text", "#text", args.keys)
                    a.close(); b.close()
                    for name, p in (("p50", 50), ("p99", 99)):
                        print(f"  {name}: editor {pct(ours, p):6.1f}   bare page {pct(bare, p):6.1f}   "
                              f"ratio {pct(ours, p) / pct(bare, p):5.2f}")

                    grow_draft(server, server.tokens["Typist"], 60)
                    file_proposals(server, server.tokens["Proposer"], 50)
                    body = server.get(f"/api/drafts/{server.draft_id}", server.tokens["Typist"]).json()
                    count = len(body["preamble"]) + len(body["operative"])
                    pending = len(server.get(f"/api/drafts/{server.draft_id}/amendments", server.tokens["Typist"]).json()["amendments"])
                    print(f"opening a draft of {count} paragraphs with {pending} pending proposals, "
                          f"to every paragraph editable (ms, median of {args.opens}):", flush=True)
                    ours_open, bare_open = [], []
                    for _ in range(args.opens):
                        page = context.new_page()
                        page.goto(f"{server.http}/#draft={server.draft_id}")
                        page.fill("#token", server.tokens["Typist"])
                        t = time.perf_counter()
                        page.click("#signin button")
                        page.wait_for_function(
                            "n => document.querySelectorAll('.ql-editor[contenteditable=true]').length === n"
                            " && document.querySelectorAll('.proposal').length > 0", arg=count, timeout=30000, polling="raf")
                        ours_open.append((time.perf_counter() - t) * 1000)
                        page.close()
                        t = time.perf_counter()
                        page = bare_page(context, server, server.tokens["Typist"], site)
                        bare_open.append((time.perf_counter() - t) * 1000)
                        page.close()
                    o, r = statistics.median(ours_open), statistics.median(bare_open)
                    print(f"  editor {o:6.0f}   bare page (one paragraph) {r:6.0f}   ratio {o / r:5.2f}")
                finally:
                    context.close()
        finally:
            server.stop()
            site.close()


if __name__ == "__main__":
    main()
