"""Who may do what to an amendment: every route x every role x own / other delegation.

The amendment in each cell is filed by Egypt's delegate. "Own" users belong to Egypt,
"other" users to Algeria; the facilitator and the Secretariat belong to no delegation.
A refused cell must leave the amendment exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from server import Server

USERS = {  # key: (name, delegation, role)
    "delegate/own": ("eg-delegate", "Egypt", "delegate"),
    "penholder/own": ("eg-penholder", "Egypt", "penholder"),
    "observer/own": ("eg-observer", "Egypt", "observer"),
    "delegate/other": ("dz-delegate", "Algeria", "delegate"),
    "penholder/other": ("dz-penholder", "Algeria", "penholder"),
    "observer/other": ("dz-observer", "Algeria", "observer"),
    "facilitator": ("facilitator", None, "facilitator"),
    "secretariat": ("secretariat", None, "secretariat"),
}
SPONSOR = "delegate/own"
PP7 = "res-79-53.pp7"

# route -> the users allowed; everyone else gets 403 (409 where the refusal is about
# the amendment's state, e.g. leaving a sponsorship one never joined).
ALLOWED = {
    "read": set(USERS),
    "cosponsor": {"delegate/other", "penholder/other"},
    "withdraw": {"delegate/own", "penholder/own"},
    "accept": {"facilitator"},
    "reject": {"facilitator"},
    "supersede": {"facilitator"},
    "reopen": {"facilitator"},
}


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    s = Server(f"sqlite:///{tmp_path_factory.mktemp('authz') / 'a.db'}")
    s.seed([v for v in USERS.values()])
    s.start()
    yield s
    s.stop()


def token(server: Server, who: str) -> str:
    return server.tokens[USERS[who][0]]


def fresh(server: Server, status: str = "proposed") -> dict:
    r = server.post(f"/api/drafts/{server.draft_id}/amendments", token(server, SPONSOR),
                    json={"operation": "insert_text", "paragraph_id": PP7, "position": "after",
                          "target_text": "equal opportunities", "new_text": " (matrix)"})
    assert r.status_code == 201, r.text
    a = r.json()
    if status == "rejected":
        assert server.post(f"/api/amendments/{a['id']}/reject", token(server, "facilitator"), json={}).status_code == 200
    return server.get(f"/api/amendments/{a['id']}", token(server, SPONSOR)).json()


def state(server: Server, a: dict) -> tuple:
    now = server.get(f"/api/amendments/{a['id']}", token(server, "facilitator")).json()
    return now["status"], len(now["events"]), [c["delegation"] for c in now["cosponsors"]]


@pytest.mark.parametrize("who", list(USERS))
@pytest.mark.parametrize("route", list(ALLOWED))
def test_matrix(server: Server, route: str, who: str):
    a = fresh(server, "rejected" if route == "reopen" else "proposed")
    before = state(server, a)
    if route == "read":
        r = server.get(f"/api/amendments/{a['id']}", token(server, who))
        listing = server.get(f"/api/drafts/{server.draft_id}/amendments", token(server, who))
        assert r.status_code == 200 and listing.status_code == 200
        return
    if route == "cosponsor":
        r = server.post(f"/api/amendments/{a['id']}/cosponsors", token(server, who))
    else:
        other = fresh(server)["id"] if route == "supersede" else None
        r = server.post(f"/api/amendments/{a['id']}/{route}", token(server, who),
                        json={"by": other} if other else {})
    if who in ALLOWED[route]:
        assert r.status_code == 200, (route, who, r.text)
        assert state(server, a) != before
    else:
        assert r.status_code == 403, (route, who, r.status_code, r.text)
        assert "error" in r.json()
        assert state(server, a) == before  # nothing changed


@pytest.mark.parametrize("who", list(USERS))
def test_filing_matrix(server: Server, who: str):
    count = len(server.get(f"/api/drafts/{server.draft_id}/amendments", token(server, "facilitator")).json()["amendments"])
    body = {"operation": "delete_text", "paragraph_id": PP7, "target_text": " full"}
    r = server.post(f"/api/drafts/{server.draft_id}/amendments", token(server, who), json=body)
    may = USERS[who][2] in ("delegate", "penholder")
    assert r.status_code == (201 if may else 403), (who, r.text)
    if may:
        assert r.json()["sponsor"] == USERS[who][1]
    # a forged sponsor is refused for everyone
    forged = server.post(f"/api/drafts/{server.draft_id}/amendments", token(server, who),
                         json=body | {"sponsor": "Chad"})
    assert forged.status_code == 403
    after = len(server.get(f"/api/drafts/{server.draft_id}/amendments", token(server, "facilitator")).json()["amendments"])
    assert after == count + (1 if may else 0)


def test_leaving_a_sponsorship_one_never_joined_is_refused(server: Server):
    a = fresh(server)
    r = server.delete(f"/api/amendments/{a['id']}/cosponsors", token(server, "delegate/other"))
    assert r.status_code == 409 and "does not co-sponsor" in r.json()["error"]
    assert server.post(f"/api/amendments/{a['id']}/cosponsors", token(server, "delegate/other")).status_code == 200
    r = server.delete(f"/api/amendments/{a['id']}/cosponsors", token(server, "delegate/other"))
    assert r.status_code == 200 and r.json()["cosponsors"] == []
    assert [s["left_at"] is not None for s in r.json()["sponsorship"]] == [True]  # kept, with the time it left
