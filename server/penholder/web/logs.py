"""Tokens never reach the server's log. A websocket sends its token in the query string
(browsers cannot set headers on one), which uvicorn logs with the path; a client may
also put one in a REST URL, which is refused but still logged. Every `key=value` whose
key names a token, under any percent-encoding (`%74oken`, `%2574oken`), has its value
replaced by ***."""

from __future__ import annotations

import logging
import re

from penholder.web.auth import names_a_token

_KEY = re.compile(r"([^?&=;/\s\"']+)=")
_VALUE_END = re.compile(r"[&;\s\"']")


def redact(text: str) -> str:
    out, pos = [], 0
    for m in _KEY.finditer(text):
        if m.start() < pos or not names_a_token(m.group(1)):
            continue
        end = _VALUE_END.search(text, m.end())
        out.append(text[pos:m.end()] + "***")
        pos = end.start() if end else len(text)
    out.append(text[pos:])
    return "".join(out)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in args)
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        return True
