"""The compilation text: the draft with every pending proposal shown where it applies,
attributed ([Egypt, supported by Algeria: add "and girls" after "women,"]). Pure."""

from __future__ import annotations

import html
from typing import Any

from penholder.amend.operations import labels
from penholder.model import Resolution


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def attribution(p: dict[str, Any]) -> str:
    who = p["sponsor"]
    if p.get("cosponsors"):
        who += ", supported by " + _join([c["delegation"] if isinstance(c, dict) else c for c in p["cosponsors"]])
    stale = " (stale: the text has changed)" if p.get("stale") else ""
    return f"[{who}: {p['summary']}]{stale}"


def compile_text(res: Resolution, pending: list[dict[str, Any]]) -> dict[str, Any]:
    """Paragraphs in order, each with the proposals on it; a proposed new paragraph is
    listed under the paragraph it would follow (or at the start of its part)."""
    lab = labels(res)
    by_anchor: dict[str, list[dict[str, Any]]] = {}
    for p in pending:
        anchor = p.get("paragraph_id") if p["operation"] != "add_paragraph" else (p.get("position") or "")
        anchor = anchor.removeprefix("after:") if anchor else anchor
        by_anchor.setdefault(anchor or "", []).append(p)

    def entry(p: dict[str, Any]) -> dict[str, Any]:
        return {"number": p["number"], "id": p["id"], "sponsor": p["sponsor"],
                "cosponsors": [c["delegation"] if isinstance(c, dict) else c for c in p.get("cosponsors", [])],
                "operation": p["operation"], "summary": p["summary"], "stale": p.get("stale"),
                "text": attribution(p)}

    out: list[dict[str, Any]] = []
    for part, start in (("preamble", "start:preamble"), ("operative", "start:operative")):
        if by_anchor.get(start):
            out.append({"id": None, "label": f"start of the {part}", "text": None, "lead": None,
                        "proposals": [entry(p) for p in by_anchor[start]]})
        for p in getattr(res, part):
            for q in p.walk():
                out.append({"id": q.id, "label": lab[q.id], "text": q.text, "lead": q.lead or None,
                            "proposals": [entry(x) for x in by_anchor.get(q.id, [])]})
    return {"symbol": res.heading.symbol, "title": res.heading.title, "paragraphs": out,
            "pending": len(pending)}


def to_markdown(c: dict[str, Any]) -> str:
    lines = [f"# {c['title'] or ''}", "", f"{c['symbol'] or ''} — compilation of {c['pending']} pending "
             "proposals", ""]
    for p in c["paragraphs"]:
        if p["text"] is not None:
            text = p["text"]
            if p["lead"]:
                text = f"*{p['lead']}*{text[len(p['lead']):]}"
            lines += [f"**{p['label']}** {text}", ""]
        else:
            lines += [f"**({p['label']})**", ""]
        for q in p["proposals"]:
            lines += [f"> {q['text']} (No. {q['number']})", ""]
    return "\n".join(lines)


def to_html(c: dict[str, Any]) -> str:
    e = html.escape
    body = [f"<h1>{e(c['title'] or '')}</h1>",
            f"<p class=\"symbol\">{e(c['symbol'] or '')} — compilation of {c['pending']} pending proposals</p>"]
    for p in c["paragraphs"]:
        if p["text"] is not None:
            text = e(p["text"])
            if p["lead"]:
                text = f"<em>{e(p['lead'])}</em>{e(p['text'][len(p['lead']):])}"
            body.append(f"<p id=\"{e(p['id'])}\"><b>{e(p['label'])}</b> {text}</p>")
        else:
            body.append(f"<p><b>({e(p['label'])})</b></p>")
        for q in p["proposals"]:
            cls = "proposal stale" if q["stale"] else "proposal"
            body.append(f"<p class=\"{cls}\" data-number=\"{q['number']}\">{e(q['text'])} "
                        f"<span class=\"number\">(No. {q['number']})</span></p>")
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
            f"{e(c['title'] or 'Compilation')}</title><style>.proposal{{margin-left:2em;color:#8a1c1c}}"
            ".stale{text-decoration:underline dotted}</style></head><body>" + "\n".join(body) + "</body></html>")
