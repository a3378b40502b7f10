"""Tokens sent in a websocket's query string never reach the server's log."""

import logging

from penholder.commands.serve import _RedactTokens


def test_tokens_are_redacted_from_uvicorn_log_records():
    record = logging.LogRecord("uvicorn.error", logging.INFO, __file__, 1,
                               '%s - "WebSocket %s" [accepted]', ("127.0.0.1:5", "/ws/drafts/1?token=s3cr3t-T0k_en"), None)
    assert _RedactTokens().filter(record)
    assert "s3cr3t" not in record.getMessage() and "token=***" in record.getMessage()
    plain = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, "GET /api/drafts?x=token=abc&y=1", None, None)
    _RedactTokens().filter(plain)
    assert plain.getMessage() == "GET /api/drafts?x=token=***&y=1"
