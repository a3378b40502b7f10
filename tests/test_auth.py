"""Users, roles and tokens, on SQLite and PostgreSQL, and the `penholder user` verbs."""

from __future__ import annotations

import hashlib
import itertools
import re
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from penholder.auth import PERMISSIONS, Action, Kind, Relation, Role, authenticate, create_user, issue_token, revoke
from penholder.auth.roles import STANDING
from penholder.auth.users import check_user
from penholder.cli import main
from penholder.store import create_draft, make_engine
from penholder.store.tables import Delegation

ROLES_DOC = Path(__file__).resolve().parent.parent / "docs" / "roles.md"


def every_value_in(engine) -> str:  # type: ignore[no-untyped-def]
    """Every value of every row of every table, as text."""
    out = []
    with engine.connect() as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                out.extend(v.hex() if isinstance(v, bytes | memoryview) else str(v) for v in row)
    return "\n".join(out)


def test_tokens_are_stored_only_as_their_hash(engine, database_url):
    _, token = create_user(engine, "Amélie Durand", "France", "penholder")
    stored = every_value_in(engine)
    assert token not in stored
    assert hashlib.sha256(token.encode()).hexdigest() in stored
    if database_url.startswith("sqlite:"):  # nor anywhere in the files, WAL included
        path = Path(database_url.removeprefix("sqlite:///"))
        raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        assert token.encode() not in raw


def test_a_token_authenticates_until_revoked(engine):
    _, other = create_user(engine, "Kim Lee", None, "secretariat")
    with Session(engine) as db, db.begin():
        draft = create_draft(db, title="Draft", session=80, created_by=1).id
    # a penholder of before: its delegation becomes a main sponsor of every draft
    user, token = create_user(engine, "Amélie Durand", "France", "penholder")
    user_id = user.id
    who = authenticate(engine, token)
    assert who is not None
    assert (who.user_id, who.name, who.delegation, who.kind) == (user_id, "Amélie Durand", "France", Kind.DELEGATE)
    assert who.role_on(draft) is Role.PENHOLDER and who.role_on(draft + 1) is Role.DELEGATE
    assert who.can(Action.EDIT, draft) and who.can("propose", draft) and not who.can(Action.DECIDE, draft)
    assert not who.can(Action.EDIT, draft + 1) and who.can("propose", draft + 1)
    staff = authenticate(engine, other)
    assert staff is not None and staff.delegation is None and staff.can(Action.REVISE)
    assert authenticate(engine, "") is None
    assert authenticate(engine, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    assert revoke(engine, token) is True
    assert authenticate(engine, token) is None
    assert revoke(engine, token) is False
    assert authenticate(engine, other) is not None  # revoking one token touches no other


def test_a_token_can_be_limited_to_one_draft(engine):
    user, _ = create_user(engine, "Li Wei", "China", "delegate")
    with Session(engine) as db, db.begin():
        draft = create_draft(db, title="Draft", session=80, created_by=user.id).id
    scoped = issue_token(engine, user.id, draft_id=draft)
    who = authenticate(engine, scoped)
    assert who is not None and who.draft_id == draft
    assert who.can(Action.PROPOSE, draft) and not who.can(Action.PROPOSE, draft + 1)


def test_delegations_are_shared_and_matched_without_case(engine):
    a, _ = create_user(engine, "A", "France", "penholder")
    b, _ = create_user(engine, "B", "  france ", "delegate")
    assert a.delegation_id == b.delegation_id
    with Session(engine) as db:
        assert db.scalars(select(Delegation.name)).all() == ["France"]


@pytest.mark.parametrize(
    "name, delegation, role, says",
    [
        ("  ", "France", "penholder", "name must be 1 to 200 characters"),
        ("A", "France", "king", "unknown role 'king'"),
        ("A", None, "delegate", "acts for a delegation"),
        ("A", "France", "secretariat", "act for no delegation"),
    ],
)
def test_bad_users_are_refused(name, delegation, role, says):
    with pytest.raises(ValueError, match=says):
        check_user(name, delegation, role)


def test_the_permission_table():
    may = {role: {a.value for a in actions} for role, actions in PERMISSIONS.items()}
    assert {r for r, acts in may.items() if "edit" in acts} == {Role.PENHOLDER, Role.SECRETARIAT}
    assert {r for r, acts in may.items() if "propose" in acts} == {Role.DELEGATE, Role.PENHOLDER}
    assert {r for r, acts in may.items() if "decide" in acts} == {Role.FACILITATOR}
    assert {r for r, acts in may.items() if "revise" in acts} == {Role.FACILITATOR, Role.SECRETARIAT}
    assert {r for r, acts in may.items() if "export" in acts} == set(Role) - {Role.OBSERVER}
    assert {r for r, acts in may.items() if "comment" in acts} == set(Role) - {Role.OBSERVER}
    assert all("read" in acts for acts in may.values())


def test_docs_roles_md_shows_the_permission_table():
    lines = ROLES_DOC.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| action |"))
    rows = list(itertools.takewhile(lambda line: line.startswith("|"), lines[start:]))
    header = [c.strip() for c in rows[0].strip("|").split("|")][1:]
    assert header == [r.value for r in Role]
    shown = {}
    for line in rows[2:]:  # after the header and its --- row
        cells = [c.strip() for c in line.strip("|").split("|")]
        action = re.search(r"`(\w+)`", cells[0]).group(1)  # type: ignore[union-attr]
        shown[action] = {role for role, cell in zip(Role, cells[1:], strict=True) if cell == "yes"}
    assert shown == {a.value: {r for r in Role if a in PERMISSIONS[r]} for a in Action}


def test_docs_roles_md_shows_the_standing_table():
    lines = ROLES_DOC.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("| kind of account | relation"))
    rows = list(itertools.takewhile(lambda line: line.startswith("|"), lines[start:]))[2:]
    shown = {(Kind(k), Relation(r)): Role(role) for k, r, role in
             ([c.strip() for c in row.strip("|").split("|")] for row in rows)}
    assert shown == STANDING


def cli(capsys, *argv: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_user_add_prints_a_link_and_with_token_a_token_that_authenticates(database_url, capsys):
    code, out, _ = cli(capsys, "db", "upgrade", "--database-url", database_url)
    assert code == 0 and re.search(r"at revision \S+ \(head\)", out)
    code, out, err = cli(capsys, "user", "add", "Amélie Durand", "--delegation", "France", "--email", "AD@example.org",
                         "--token", "--url", "https://ph.example.org", "--database-url", database_url)
    assert code == 0, err
    link, token = out.split()
    assert re.fullmatch(r"https://ph\.example\.org/signin\.html#link=[A-Za-z0-9_-]{43}", link)
    assert re.fullmatch(r"ph_[A-Za-z0-9_-]{43}", token)
    assert err.count("\n") == 1 and "will not be shown again" in err

    eng = make_engine(database_url)
    who = authenticate(eng, token)
    assert who is not None and (who.name, who.delegation, who.kind) == ("Amélie Durand", "France", "delegate")
    eng.dispose()

    code, out, _ = cli(capsys, "user", "list", "--database-url", database_url)
    assert code == 0
    assert re.search(r"Amélie Durand\s+France\s+delegate\s+1\b", out) and token not in out

    code, out, err = cli(capsys, "token", "add", "ad@example.org", "--expires", "2", "--name", "nightly export",
                         "--database-url", database_url)
    assert code == 0 and "2 days" in err
    second = out.strip()
    code, out, _ = cli(capsys, "token", "list", "Amélie Durand", "--database-url", database_url)
    assert code == 0 and "nightly export" in out and second not in out and len(out.strip().splitlines()) == 3
    token_id = re.search(r"^(\d+)\s+Amélie Durand\s+nightly export", out, re.M).group(1)  # type: ignore[union-attr]
    assert cli(capsys, "token", "revoke", token_id, "--database-url", database_url)[0] == 0
    eng = make_engine(database_url)
    assert authenticate(eng, second) is None and authenticate(eng, token) is not None
    eng.dispose()
    code, _, err = cli(capsys, "token", "revoke", token_id, "--database-url", database_url)
    assert code == 2 and "no live token" in err


@pytest.mark.parametrize(
    "argv, says",
    [
        (["Amélie", "--delegation", "France", "--role", "king"], "unknown role 'king'"),
        (["", "--delegation", "France", "--role", "penholder"], "name must be 1 to 200 characters"),
        (["Amélie", "--delegation", "France", "--email", "nope"], "not an email address"),
        (["Amélie", "--kind", "delegate"], "acts for a delegation"),
        (["Amélie", "--role", "delegate"], "acts for a delegation"),
    ],
)
def test_cli_user_add_refuses_bad_input_in_one_line(tmp_path, capsys, argv, says):
    url = f"sqlite:///{tmp_path / 'p.db'}"
    code, out, err = cli(capsys, "user", "add", *argv, "--database-url", url)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and says in err


def test_cli_user_add_on_an_empty_database_says_to_upgrade(database_url, capsys):
    code, out, err = cli(capsys, "user", "add", "A", "--delegation", "France", "--role", "penholder",
                         "--database-url", database_url)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "penholder db upgrade" in err


def test_cli_user_appoint_makes_a_facilitator_of_one_draft(engine, database_url, capsys):
    staff, _ = create_user(engine, "Kim Lee", None, "secretariat")
    with Session(engine) as db, db.begin():
        drafts = [create_draft(db, title=f"Draft {i}", session=80, created_by=staff.id).id for i in (1, 2)]
    chair, token = create_user(engine, "Chair", "Chad", "delegate")
    code, out, err = cli(capsys, "user", "appoint", "Chair", "--draft", str(drafts[0]), "--database-url", database_url)
    assert code == 0 and out.strip() == f"Chair is now a facilitator of draft {drafts[0]}"
    who = authenticate(engine, token)
    assert who is not None and who.can("decide", drafts[0]) and not who.can("decide", drafts[1])
    code, _, err = cli(capsys, "user", "appoint", "Kim Lee", "--draft", str(drafts[0]), "--database-url", database_url)
    assert code == 2 and "not appointed facilitators" in err
    code, _, err = cli(capsys, "user", "appoint", "Nobody", "--draft", str(drafts[0]), "--database-url", database_url)
    assert code == 2 and "no user 'Nobody'" in err
