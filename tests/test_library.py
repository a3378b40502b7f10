"""The library of adopted resolutions: drafts/ and imported files stored by paragraph,
searched for a phrase exactly or nearly, on SQLite (FTS5) and PostgreSQL (tsvector)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from penholder.cli import main
from penholder.ingest import import_path
from penholder.library import LibraryError, Query, add_files, ensure_drafts, known_dates, listing, search
from penholder.library.catalog import DRAFTS_DIR
from penholder.model.labels import paragraph_labels

DATA = Path(__file__).resolve().parent / "data"


def _occurrences(phrase: str) -> set[tuple[str, str]]:
    """(symbol, label) of every paragraph of drafts/ holding the phrase, found without the
    library: a case-insensitive regex over the imported texts, any run of non-letters
    between words."""
    words = re.findall(r"[^\W_]+", phrase)
    pattern = re.compile(r"(?<![^\W_])" + r"[\W_]+".join(map(re.escape, words)) + r"(?![^\W_])", re.I)
    out = set()
    for f in sorted(DRAFTS_DIR.glob("A_RES_*")):
        res = import_path(f)
        labels = paragraph_labels(res)
        out |= {(res.heading.symbol, labels[p.id]) for p in res.paragraphs() if pattern.search(p.text)}
    return out


def test_the_drafts_enter_the_library_once(engine):
    added = ensure_drafts(engine)
    assert sorted(a.symbol for a in added) == ["A/RES/71/72", "A/RES/75/59", "A/RES/78/70", "A/RES/79/53"]
    assert ensure_drafts(engine) == []
    assert known_dates(engine) == {"71/72": "2016-12-05", "75/59": "2020-12-07",
                                   "78/70": "2023-12-07", "79/53": "2024-12-02"}
    rows = listing(engine)
    assert [r["symbol"] for r in rows][0] == "A/RES/79/53"  # newest first
    assert all(r["paragraphs"] > 30 for r in rows)


@pytest.mark.parametrize("phrase", ["countering the threat posed by improvised explosive devices",
                                    "whole-of-government approach", "Assistance in Mine Action"])
def test_search_finds_every_known_occurrence_with_its_label(engine, phrase):
    ensure_drafts(engine)
    answer = search(engine, Query(phrase, limit=200, min_similarity=1.0))
    found = {(r["symbol"], r["label"]) for r in answer["results"]}
    expected = _occurrences(phrase)
    assert expected and found == expected
    assert answer["exact"] == len(expected)
    for r in answer["results"]:
        assert r["match"] == "exact" and r["similarity"] == 1.0
        assert re.sub(r"\W+", " ", r["matched"]).lower() == re.sub(r"\W+", " ", phrase).lower()
        start, end = r["sentence_span"]
        assert r["sentence"][start:end] == r["matched"]


def test_exact_results_name_symbol_date_label_and_sentence_newest_first(engine):
    ensure_drafts(engine)
    answer = search(engine, Query("countering the threat posed by improvised explosive devices", limit=200))
    first = answer["results"][0]
    assert (first["symbol"], first["date"], first["label"]) == ("A/RES/79/53", "2 December 2024", "PP7")
    assert first["sentence"].startswith("Recognizing the importance of full involvement")
    dates = [r["adopted_on"] for r in answer["results"] if r["match"] == "exact"]
    assert dates == sorted(dates, reverse=True)
    assert ("A/RES/75/59", "PP8") in {(r["symbol"], r["label"]) for r in answer["results"]}


def test_near_matches_are_ranked_by_word_similarity(engine):
    ensure_drafts(engine)
    # 78/70 PP3 says "... Mine Action continues to be commemorated worldwide": one word differs
    answer = search(engine, Query("Mine Action continued to be commemorated worldwide"))
    assert answer["exact"] == 0
    top = answer["results"][0]
    assert (top["symbol"], top["label"], top["match"]) == ("A/RES/78/70", "PP3", "near")
    assert top["similarity"] == pytest.approx(6 / 7, abs=0.001)
    assert top["matched"] == "Mine Action continues to be commemorated worldwide"
    # "to report" (79/53, 71/72) and "to submit" (78/70) each share 6 of the 8 words
    answer = search(engine, Query("Requests the Secretary-General to submit a report"))
    got = {(r["symbol"], r["label"]) for r in answer["results"]}
    assert {("A/RES/79/53", "OP26"), ("A/RES/78/70", "OP21"), ("A/RES/71/72", "OP22")} <= got
    sims = [r["similarity"] for r in answer["results"]]
    assert sims == sorted(sims, reverse=True) and min(sims) >= 0.7
    # a stricter threshold drops them
    assert search(engine, Query("Requests the Secretary-General to submit a report", min_similarity=0.8))["results"] == []


def test_adding_a_resolution_again_replaces_it(engine, tmp_path):
    ensure_drafts(engine)
    before = search(engine, Query("improvised explosive devices", limit=200, min_similarity=1.0))["exact"]
    added, failed = add_files(engine, [DRAFTS_DIR / "A_RES_79_53.txt"])
    assert failed == [] and added[0].replaced
    assert search(engine, Query("improvised explosive devices", limit=200, min_similarity=1.0))["exact"] == before


def test_bad_files_are_skipped_with_a_reason_and_the_rest_added(engine, tmp_path):
    shutil.copy(DRAFTS_DIR / "A_RES_78_70.md", tmp_path / "mine_action.md")
    shutil.copy(DATA / "proposals_79_53.txt", tmp_path / "proposals.txt")
    (tmp_path / "empty.md").write_text("")
    lines: list[str] = []
    added, failed = add_files(engine, [tmp_path], lines.append)
    assert [a.symbol for a in added] == ["A/RES/78/70"]
    assert len(failed) == 2 and any("proposals.txt: a list of proposals" in f for f in failed)
    assert any("empty.md" in f and "empty" in f for f in failed)
    assert lines[0].startswith("[1/3]") and len(lines) == 3


@pytest.mark.parametrize("phrase, message", [("", "no words"), ("of the", "only common words"),
                                             ("word " * 301, "at most 300")])
def test_unusable_queries_say_why(engine, phrase, message):
    with pytest.raises(LibraryError, match=message):
        search(engine, Query(phrase))


def test_cli_add_and_search(database_url, tmp_path, capsys):
    assert main(["db", "upgrade", "--database-url", database_url]) == 0
    shutil.copy(DRAFTS_DIR / "A_RES_79_53.txt", tmp_path / "a.txt")
    (tmp_path / "bad.txt").write_text("nothing like a resolution\n")
    assert main(["library", "add", str(tmp_path), "--database-url", database_url]) == 1
    out, err = capsys.readouterr()
    assert "[1/2] A/RES/79/53: 57 paragraphs" in err and "[2/2] skipped:" in err
    assert "1 resolutions added (0 replaced), 1 skipped" in out
    assert main(["library", "search", "threat posed by improvised explosive devices", "-n", "2",
                 "--database-url", database_url]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines()[0].startswith("A/RES/79/53 of 2 December 2024, PP7 (exact): Recognizing")
    assert len(out.splitlines()) == 2
    assert main(["library", "search", "the", "--database-url", database_url]) == 2
    assert "only common words" in capsys.readouterr().err


def test_matching_is_by_words_whatever_the_case_and_punctuation():
    from penholder.library.match import find_exact, find_near
    from penholder.library.words import norms, phrase_pattern, sentence_around, words

    text = "Stresses the need for a whole-of-government approach. Requests the Secretary-General to act."
    q = norms("Whole of Government approach")
    hit = find_exact(q, words(text))
    assert hit and text[hit.start:hit.end] == "whole-of-government approach"
    m = phrase_pattern(q).search(text)
    assert m and (m.start(), m.end()) == (hit.start, hit.end)
    assert find_exact(norms("government approaches"), words(text)) is None  # whole words only
    near = find_near(norms("requests the Secretary-General to report"), words(text))
    assert near and near.similarity == pytest.approx(5 / 6, abs=0.001)
    assert text[near.start:near.end] == "Requests the Secretary-General to"
    sentence, offset = sentence_around(text, hit.start, hit.end)
    assert sentence == "Stresses the need for a whole-of-government approach."
    assert sentence[offset:offset + hit.end - hit.start] == "whole-of-government approach"


def test_a_paragraphs_standing_from_its_sources():
    from penholder.library.agreed import standing

    def r(symbol, adopted_on, match, similarity):  # type: ignore[no-untyped-def]
        return {"symbol": symbol, "label": "OP1", "adopted_on": adopted_on, "date": "", "match": match,
                "similarity": similarity, "matched": ""}
    assert standing([]) == {"status": "new"}
    assert standing([r("A/RES/79/53", "2024-12-02", "near", 0.9)])["status"] == "near"
    assert standing([r("A/RES/79/53", "2024-12-02", "exact", 1.0), r("A/RES/75/59", "2020-12-07", "near", 0.95)]) \
        == {"status": "agreed", "source": r("A/RES/79/53", "2024-12-02", "exact", 1.0)}
    got = standing([r("A/RES/75/59", "2020-12-07", "exact", 1.0), r("A/RES/79/53", "2024-12-02", "near", 0.9)])
    assert got["status"] == "superseded" and got["newer"]["symbol"] == "A/RES/79/53"
    # a later paragraph that shares only some words is another paragraph, not a rewording
    assert standing([r("A/RES/75/59", "2020-12-07", "exact", 1.0), r("A/RES/79/53", "2024-12-02", "near", 0.72)])["status"] == "agreed"


def test_the_words_a_paragraph_departs_by_and_its_update_to_the_later_wording():
    from penholder.library.agreed import differing, rewording

    def spans(text, found):  # type: ignore[no-untyped-def]
        return [text[a:b] for a, b in found]

    def apply(text, update):  # type: ignore[no-untyped-def]
        a, b = update["span"]
        return text[:a] + update["text"] + text[b:]

    draft = "Recognizing the threat posed by improvised devices to all civilians,"
    later = "Recognizing the grave threat posed by improvised explosive devices to civilians and peacekeepers,"
    # words compared as search compares them: case and punctuation do not count
    assert spans(draft, differing(draft, later)) == ["all"]
    assert spans(draft, differing(draft, later.upper().replace(",", ""))) == ["all"]
    assert spans(later, differing(later, draft)) == ["grave", "explosive", "and peacekeepers"]
    assert differing(draft, draft) == []
    # the update rewrites from the first changed word to the last, and yields the later words
    update = rewording(draft, later)
    assert apply(draft, update) == later
    assert draft[update["span"][0]:].startswith("threat")  # "Recognizing the" kept
    # a bare insertion or deletion takes a word of context, so that the spaces stay right
    assert apply("Stresses the need for cooperation;", rewording("Stresses the need for cooperation;",
                 "Stresses the urgent need for cooperation;")) == "Stresses the urgent need for cooperation;"
    assert apply("Stresses the urgent need for cooperation;", rewording("Stresses the urgent need for cooperation;",
                 "Stresses the need for cooperation;")) == "Stresses the need for cooperation;"
    assert apply("Urges cooperation;", rewording("Urges cooperation;", "Also urges cooperation;")) == "Also urges cooperation;"
    assert rewording(draft, draft) is None


def test_a_paragraphs_standing_follows_the_library_as_it_grows(engine):
    from dataclasses import replace

    from penholder.library.agreed import paragraph_standing
    from penholder.library.catalog import add_resolution

    ensure_drafts(engine)
    draft = import_path(DRAFTS_DIR / "A_RES_79_53.txt")
    by_label = {x["label"]: x for x in paragraph_standing(engine, draft)}
    assert by_label["PP7"]["status"] == "agreed"
    assert paragraph_standing(engine, draft) == list(by_label.values())  # asked again: the same
    # A later resolution rewords PP7: the draft's PP7 now cites superseded text.
    later = import_path(DRAFTS_DIR / "A_RES_79_53.txt")
    later.heading = replace(later.heading, symbol="A/RES/80/99", adopted_on="2025-12-05")
    pp7 = next(p for p in later.paragraphs() if p.id.endswith(".pp7"))
    pp7.text = pp7.text.replace("importance", "vital importance")
    add_resolution(engine, later, "test")
    pp7_now = {x["label"]: x for x in paragraph_standing(engine, draft)}["PP7"]
    assert pp7_now["status"] == "superseded" and pp7_now["newer"]["symbol"] == "A/RES/80/99"
    assert pp7_now["update"]["text"] == "the vital"  # "the" kept as context: "the vital importance"
