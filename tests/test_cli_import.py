"""`penholder import`: the JSON contract, the outline, and a clear refusal of bad input."""

from __future__ import annotations

import json

import pytest

from penholder.cli import main
from seeds import PROPOSALS, RES_78_70, RES_79_53

CONTRACT_KEYS = ["kind", "symbol", "session", "committee", "agenda_item", "agenda_title", "title",
                 "adopted_on", "meeting", "sponsors", "preamble", "operative", "footnotes", "warnings"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_follows_the_contract(capsys):
    code, out, err = run(capsys, "import", str(RES_78_70), "--json")
    assert code == 0
    doc = json.loads(out)
    assert list(doc) == CONTRACT_KEYS
    assert doc["kind"] == "resolution" and doc["symbol"] == "A/RES/78/70"
    pp = doc["preamble"][0]
    assert list(pp) == ["id", "lead", "text", "footnote_refs", "subparagraphs", "review"]
    assert pp["review"] == {"status": "exact", "notes": []}
    op4 = doc["operative"][3]
    assert list(op4)[:3] == ["id", "number", "lead"] and op4["number"] == 4
    assert [s["label"] for s in op4["subparagraphs"]] == ["a", "b", "c", "d", "e"]
    assert list(op4["subparagraphs"][0]) == ["id", "label", "text", "footnote_refs", "subparagraphs", "review"]
    assert doc["footnotes"][0]["number"] == 1


def test_proposals_json(capsys):
    code, out, _ = run(capsys, "import", str(PROPOSALS), "--json")
    doc = json.loads(out)
    assert code == 0 and doc["kind"] == "proposals" and len(doc["items"]) == 20
    assert set(doc["items"][0]) == {"number", "heading", "text"}


def test_outline_shows_numbers_and_leads(capsys):
    code, out, err = run(capsys, "import", str(RES_79_53))
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("A/RES/79/53  Countering the threat")
    assert any(ln.startswith("PP29  [Taking note] of the report") for ln in lines)
    assert any(ln.startswith("OP2   [Strongly encourages] States") for ln in lines)
    assert "29 preambular, 28 operative paragraphs, 24 footnotes" in out
    assert "warning:" in err  # what was repaired is said


def _refused(capsys, path, reason: str) -> None:
    code, out, err = run(capsys, "import", str(path))
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1
    assert reason in err, err


def test_missing_file(capsys, tmp_path):
    _refused(capsys, tmp_path / "nope.txt", "cannot read")


def test_directory(capsys, tmp_path):
    _refused(capsys, tmp_path, "directory")


def test_empty_file(capsys, tmp_path):
    p = tmp_path / "empty.txt"
    p.write_text("  \n\n")
    _refused(capsys, p, "empty")


def test_binary_file(capsys, tmp_path):
    p = tmp_path / "blob.bin"
    p.write_bytes(bytes(range(256)) * 40)
    _refused(capsys, p, "binary")


def test_oversized_file(capsys, tmp_path):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as f:
        f.truncate(21_000_000)  # sparse: no 21 MB written to disk
    _refused(capsys, p, "too large")


def test_unrecognisable_text(capsys, tmp_path):
    p = tmp_path / "letter.txt"
    p.write_text("Dear colleagues,\n\nthank you for the meeting yesterday.\n\nBest regards\n")
    _refused(capsys, p, "no resolution structure")


def test_help_lists_import(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--help"])
    assert exc.value.code == 0
    assert "import" in capsys.readouterr().out


def test_outline_counts_what_was_repaired_or_guessed(capsys, tmp_path):
    path = tmp_path / "broken.txt"
    path.write_text("A/RES/80/1\n80/1. Test\nThe General Assembly,\n"
                    "Reca llin g its resolutions on the matter,\n1.\nDecides to remain seized of the matter.\n")
    code, out, _ = run(capsys, "import", str(path))
    assert code == 0
    assert "2 paragraphs repaired, 0 guessed" in out
    code, out, _ = run(capsys, "import", str(path), "--json")
    doc = json.loads(out)
    assert doc["preamble"][0]["review"]["status"] == "repaired"
    assert any("stood alone" in n for n in doc["operative"][0]["review"]["notes"])


BROKEN = ("A/RES/80/1\n80/1. Test\nThe General Assembly,\n"
          "Reca llin g it s resolut ions and the recommen dations contained there in,\n"
          "1. Deci des to remain sei zed of the mat ter.\n")


def test_broken_words_are_read_as_the_databases_library_writes_them(database_url, tmp_path, capsys, monkeypatch):
    """`there in` / `therein`: English both ways. Without a library the words stay apart
    and the import says so; with the database's library (which writes `therein`) they
    are read as it writes them, as the server reads an upload."""
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("PENHOLDER_DATABASE_URL", raising=False)
    (work / "broken.txt").write_text(BROKEN)

    code, out, _ = run(capsys, "import", "broken.txt", "--json")
    doc = json.loads(out)
    assert code == 0 and doc["preamble"][0]["text"].endswith("contained there in,")
    assert any("'there in' (also English as 'therein'" in w for w in doc["warnings"])
    assert not (work / "penholder.db").exists()  # reading made no database

    assert main(["db", "upgrade", "--database-url", database_url]) == 0
    assert main(["library", "add", str(RES_79_53), "--database-url", database_url]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "import", "broken.txt", "--json", "--database-url", database_url)
    doc = json.loads(out)
    assert code == 0 and doc["preamble"][0]["text"].endswith("contained therein,")
    assert any("'there in' -> 'therein', as the library's resolutions write it" in w for w in doc["warnings"])

    # The database named by the environment, as every other command takes it.
    monkeypatch.setenv("PENHOLDER_DATABASE_URL", database_url)
    code, out, _ = run(capsys, "import", "broken.txt", "--json")
    assert json.loads(out)["preamble"][0]["text"].endswith("contained therein,")
