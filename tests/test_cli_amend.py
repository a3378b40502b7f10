"""`penholder amend`: a delegation files its list of proposals, a facilitator lists and
decides, all through a running server under each one's token."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from penholder.cli import main
from seeds import PROPOSALS
from live import LiveServer
from server import Server


@pytest.fixture
def server(tmp_path) -> Iterator[Server]:
    s = LiveServer(f"sqlite:///{tmp_path / 'c.db'}")
    s.seed([("eg", "Egypt", "delegate"), ("fac", None, "facilitator")])
    s.start()
    yield s
    s.stop()


def cli(capsys, server: Server, who: str, *argv: str) -> tuple[int, str, str]:
    code = main(["amend", *argv, "--draft", str(server.draft_id), "--server", server.http,
                 "--token", server.tokens[who]])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_list_decide(capsys, server: Server):
    code, out, err = cli(capsys, server, "eg", "import", str(PROPOSALS), "--delegation", "Egypt")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 20 and lines[0].split()[:2] == ["1", "Egypt"]
    assert "20 proposals filed" in err
    code, out, _ = cli(capsys, server, "fac", "list", "--status", "proposed")
    assert code == 0 and len(out.splitlines()) == 20 and "add a new operative paragraph after OP27" in out
    code, out, _ = cli(capsys, server, "fac", "accept", "3", "--note", "agreed")
    assert code == 0 and out.strip() == "amendment 3 (Egypt): accepted"
    code, out, _ = cli(capsys, server, "fac", "reject", "4")
    assert code == 0 and "rejected" in out
    body = server.get(f"/api/drafts/{server.draft_id}", server.tokens["fac"]).json()
    # worded as an operative paragraph: its verb a lead in the third person, a semicolon
    assert body["operative"][27]["text"].startswith("Supports capacity-building programs")
    assert body["operative"][27]["lead"] == "Supports" and body["operative"][27]["text"].endswith(";")
    assert body["operative"][28]["lead"] == "Decides"


def test_refusals_exit_2_with_the_servers_reason(capsys, server: Server):
    code, out, err = cli(capsys, server, "eg", "import", str(PROPOSALS), "--delegation", "France")
    assert code == 2 and out == "" and "own name" in err
    code, out, err = cli(capsys, server, "eg", "accept", "1")
    assert code == 2 and "no amendment 1" in err
    cli(capsys, server, "eg", "import", str(PROPOSALS), "--delegation", "Egypt")
    code, out, err = cli(capsys, server, "eg", "accept", "1")
    assert code == 2 and "403" in err and "facilitator" in err
    code = main(["amend", "list", "--draft", "1", "--server", "http://127.0.0.1:9", "--token", "x"])
    assert code == 2 and "cannot reach the server" in capsys.readouterr().err
