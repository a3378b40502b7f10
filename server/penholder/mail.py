"""Sending a one-time link to a person: by SMTP (the standard library) when PENHOLDER_SMTP_HOST
is set, else into the operator's log, where whoever runs the server hands it on.

Settings (docs/deploy.md): PENHOLDER_SMTP_HOST, PENHOLDER_SMTP_PORT (587), PENHOLDER_SMTP_USER,
PENHOLDER_SMTP_PASSWORD, PENHOLDER_SMTP_FROM, PENHOLDER_SMTP_TLS (starttls | ssl | none)."""

from __future__ import annotations

import logging
import os
import smtplib
import ssl
from email.message import EmailMessage

log = logging.getLogger("penholder.mail")


def send(to: str | None, subject: str, body: str) -> str:
    """Send a message; returns how it went out ("smtp" or "log")."""
    host = os.environ.get("PENHOLDER_SMTP_HOST")
    if not host or not to:
        # The operator's console: the one place a server without mail can hand a link over.
        log.warning("no mail server configured (PENHOLDER_SMTP_HOST): for %s: %s\n%s", to or "(no address)",
                    subject, body)
        return "log"
    msg = EmailMessage()
    msg["From"] = os.environ.get("PENHOLDER_SMTP_FROM", f"penholder@{host}")
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body)
    tls = os.environ.get("PENHOLDER_SMTP_TLS", "starttls").lower()
    port = int(os.environ.get("PENHOLDER_SMTP_PORT") or (465 if tls == "ssl" else 587))
    context = ssl.create_default_context()
    smtp = smtplib.SMTP_SSL(host, port, context=context, timeout=20) if tls == "ssl" else smtplib.SMTP(host, port, timeout=20)
    with smtp:
        if tls == "starttls":
            smtp.starttls(context=context)
        if user := os.environ.get("PENHOLDER_SMTP_USER"):
            smtp.login(user, os.environ.get("PENHOLDER_SMTP_PASSWORD", ""))
        smtp.send_message(msg)
    return "smtp"
