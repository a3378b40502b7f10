"""Tokens sent in a query string never reach the server's log, however encoded."""

import logging

import pytest

from penholder.web.logs import RedactTokens


def test_tokens_are_redacted_from_uvicorn_log_records():
    record = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1,
                               '%s - "WebSocket %s" [accepted]', ("127.0.0.1:5", "/ws/drafts/1?token=s3cr3t-T0k_en"), None)
    assert RedactTokens().filter(record)
    assert "s3cr3t" not in record.getMessage() and "token=***" in record.getMessage()
    plain = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, "GET /api/drafts?x=token=abc&y=1", None, None)
    RedactTokens().filter(plain)
    assert plain.getMessage() == "GET /api/drafts?x=token=***&y=1"


@pytest.mark.parametrize("query", ["token=ph_SECRET", "%74oken=ph_SECRET", "t%6Fken=ph_SECRET", "%2574oken=ph_SECRET",
                                   "TOKEN=ph_SECRET", "a=1&%74%6F%6B%65%6E=ph_SECRET&b=2", "access_token=ph_SECRET"])
def test_an_access_line_names_no_token_in_any_encoding(query: str):
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5", "GET", f"/ws/drafts/1?{query}", "1.1", 101), None)
    RedactTokens().filter(record)
    line = record.getMessage()
    assert "SECRET" not in line and "***" in line and line.startswith('127.0.0.1:5 - "GET /ws/drafts/1?')
