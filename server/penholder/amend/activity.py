"""A draft's activity: what was filed, supported, decided, revised, commented and edited,
newest first, each with where it leads (a paragraph id, an amendment number). Direct
edits are grouped by person and sitting, across paragraphs. Pure: records in, entries out."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from penholder.amend.sittings import GAP
from penholder.amend.touches import Touch

VERBS = {"proposed": "filed", "cosponsored": "supported", "left": "withdrew support", "withdrawn": "withdrew",
         "accepted": "accepted", "rejected": "rejected", "superseded": "superseded", "reopened": "reopened"}


def amendment_entries(amendments: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for a in amendments:
        for ev in a["events"]:
            out.append({"at": ev["at"], "kind": VERBS.get(ev["action"], ev["action"]), "by": ev["by"],
                        "delegation": ev["delegation"], "amendment": a["number"], "amendment_id": a["id"],
                        "paragraph_id": a["paragraph_id"] or (a["position"] or "").removeprefix("after:") or None,
                        "paragraph": a["paragraph"], "summary": f"No. {a['number']} ({a['sponsor']}): {a['summary']}",
                        "note": ev["note"]})
    return out


def revision_entries(revisions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"at": r["created_at"], "kind": "revised", "by": r["created_by"], "delegation": None,
             "revision": r["number"], "summary": r["label"], "paragraph_id": None}
            for r in revisions if r["number"]]  # the zero draft is the draft's creation, not a cut


def comment_entries(threads: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for t in threads:
        for c in t["comments"]:
            out.append({"at": c["at"], "kind": "commented", "by": c["by"], "delegation": c["delegation"],
                        "comment": c["id"], "thread": t["id"], "paragraph_id": t["paragraph_id"],
                        "paragraph": t["paragraph"], "amendment": t["amendment"], "summary": c["text"]})
    return out


def edit_entries(log: list[Touch], labels: dict[str, str], gap: timedelta = GAP) -> list[dict[str, Any]]:
    """Updates that changed the text directly, one entry per person and sitting: a
    person's edits none more than `gap` after their previous one, whatever others typed
    meanwhile (five delegations typing at once are five sittings, not thousands)."""
    out: list[dict[str, Any]] = []
    open_: dict[tuple[str, str | None, str], dict[str, Any]] = {}
    for t in log:
        if (t.origin or "").startswith("amendment:") or not (t.paragraphs or t.other):
            continue  # an accepted amendment is its own entry; publications change no text
        kind = "technical" if t.technical else "edited"
        key = (t.user, t.delegation, kind)
        at = datetime.fromisoformat(t.at)
        last = open_.get(key)
        if last is not None and at - datetime.fromisoformat(last["until"]) <= gap:
            last["until"] = t.at
            last["updates"] += 1
            for pid in t.paragraphs:
                if pid not in last["paragraph_ids"]:
                    last["paragraph_ids"].append(pid)
            last["other"] = last["other"] or t.other
        else:
            last = {"at": t.at, "until": t.at, "kind": kind, "by": t.user, "delegation": t.delegation,
                    "updates": 1, "paragraph_ids": list(t.paragraphs), "other": t.other, "origin": t.origin}
            open_[key] = last
            out.append(last)
    for entry in out:
        entry["paragraph_id"] = entry["paragraph_ids"][0] if entry["paragraph_ids"] else None
        entry["paragraphs"] = [labels.get(p, p) for p in entry["paragraph_ids"]]
        entry["summary"] = ", ".join(entry["paragraphs"] + (["the heading or footnotes"] if entry.pop("other") else []))
    return out


def merge(*groups: list[dict[str, Any]], limit: int = 200) -> list[dict[str, Any]]:
    entries = [e for g in groups for e in g]
    entries.sort(key=lambda e: e["at"], reverse=True)
    return entries[:limit]
