"""Single sign-on end to end in Chromium against a real OpenID provider (oidc-provider from
npm, tests/oidc) that the test starts: authorization code with PKCE, the account matched
by its verified email, the delegation from the invitation; an address without an
invitation and an unverified one are refused with the reason."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from live import LiveServer
from server import ROOT, Server, free_port
from browser import ARGS
from penholder.auth.users import add_account
from penholder.store import make_engine

import playwright.sync_api as playwright_api  # noqa: E402  # missing: these tests fail, they do not skip
expect = playwright_api.expect
OIDC = ROOT / "tests" / "oidc"
ACCOUNTS = {"rosa": {"email": "Rosa@Example.cl", "email_verified": True},
            "mallory": {"email": "mallory@example.org", "email_verified": True},
            "kim": {"email": "kim@un.example", "email_verified": False}}


@pytest.fixture
def sso(tmp_path: Path, monkeypatch) -> Iterator[Server]:  # type: ignore[no-untyped-def]
    if not (OIDC / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("the OpenID provider is not installed: run `make install`", pytrace=False)
    server = LiveServer(f"sqlite:///{tmp_path / 'p.db'}")
    provider_port = free_port()
    provider = subprocess.Popen(
        ["node", "provider.mjs", str(provider_port), f"{server.http}/auth/oidc/callback"], cwd=OIDC,
        env={**os.environ, "ACCOUNTS": json.dumps(ACCOUNTS)}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        issuer = f"http://127.0.0.1:{provider_port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=1).raise_for_status()
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline or provider.poll() is not None:
                    raise RuntimeError("the OpenID provider did not start") from None
                time.sleep(0.1)
        monkeypatch.setenv("PENHOLDER_OIDC_ISSUER", issuer)
        monkeypatch.setenv("PENHOLDER_OIDC_CLIENT_ID", "penholder")
        monkeypatch.setenv("PENHOLDER_OIDC_CLIENT_SECRET", "penholder-test-secret")
        monkeypatch.setenv("PENHOLDER_OIDC_SCOPE", "openid email")
        server.seed([("Kim Lee", None, "secretariat")])
        engine = make_engine(server.database_url)
        add_account(engine, "Rosa Díaz", "Chile", "delegate", email="rosa@example.cl")
        add_account(engine, "Kim", None, "secretariat", email="kim@un.example")  # unverified at the provider
        engine.dispose()
        server.start()
        yield server
        server.stop()
    finally:
        provider.terminate()
        provider.wait(10)


def through_the_provider(browser, server: Server, login: str):  # type: ignore[no-untyped-def]
    page = browser.new_context().new_page()
    page.goto(f"{server.http}/signin.html")
    page.get_by_role("link", name="Sign in with your organization's account").click()
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("any password")
    page.locator("button[type=submit]").click()
    for _ in range(3):  # the provider's consent page, the first time a client asks
        page.wait_for_load_state()
        if page.url.startswith(f"{server.http}/signin.html"):
            break
        page.locator("button[type=submit]").click()
    page.wait_for_url(f"{server.http}/signin.html**", timeout=20000)
    return page


def test_single_sign_on_in_chromium_against_a_real_provider(chromium: str, sso: Server):  # noqa: F811
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=ARGS)
        try:
            page = through_the_provider(browser, sso, "rosa")
            expect(page.get_by_text("Rosa Díaz (Chile) · delegate")).to_be_visible()
            me = page.evaluate("fetch('/api/me').then(r => r.json())")
            assert (me["name"], me["delegation"], me["via"]) == ("Rosa Díaz", "Chile", "session")

            page = through_the_provider(browser, sso, "mallory")
            expect(page.get_by_role("alert")).to_contain_text("no account is invited with mallory@example.org")
            assert page.evaluate("fetch('/api/me').then(r => r.status)") == 401

            page = through_the_provider(browser, sso, "kim")
            expect(page.get_by_role("alert")).to_contain_text("has not verified kim@un.example")
        finally:
            browser.close()
