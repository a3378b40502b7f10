"""Comparing two versions of a resolution: word differences, paragraph alignment (ids,
similarity, moves, renumbering, splits and merges), attribution, the terminal redline.
On the captured resolutions and on small hand-built ones."""

from __future__ import annotations

import copy
import random
from collections import Counter

import pytest

from penholder.compare import Author, Comparison, compare, redline, word_diff
from penholder.compare.align import longest_increasing
from penholder.compare.tokens import coarse_tokenize, tokenize
from penholder.ingest import import_path
from penholder.model import Footnote, FootnoteRef, Heading, Paragraph, Resolution
from penholder.model.rollover import roll_over
from seeds import RES_71_72, RES_75_59, RES_78_70, RES_79_53

EGYPT = Author("Egypt")
FRANCE = Author("France")
SECRETARIAT = Author("Secretariat", technical=True)


# -- helpers -------------------------------------------------------------------------


def para(pid: str, text: str, kind: str = "op", subs: list[Paragraph] | None = None) -> Paragraph:
    return Paragraph(id=pid, kind=kind, text=text, lead=text.split(" ")[0],  # type: ignore[arg-type]
                     subparagraphs=subs or [])


def res(pp: list[tuple[str, str]], op: list[tuple[str, str]], symbol: str = "A/C.1/81/L.1") -> Resolution:
    return Resolution(heading=Heading(symbol=symbol),
                      preamble=[para(i, t, "pp") for i, t in pp],
                      operative=[para(i, t, "op") for i, t in op])


PP = [
    ("p1", "Recalling its resolutions 70/46 of 7 December 2015 and 71/72 of 5 December 2016,"),
    ("p2", "Expressing grave concern over the devastation caused by improvised explosive devices,"),
    ("p3", "Recognizing the importance of full involvement of both women and men,"),
]
OP = [
    ("o1", "Strongly urges States to develop and implement national measures;"),
    ("o2", "Encourages international and regional cooperation among States, including the sharing of information;"),
    ("o3", "Requests the Secretary-General to report to the General Assembly at its eighty-first session;"),
    ("o4", "Encourages civil society to continue to contribute to addressing the threat;"),
    ("o5", "Decides to include in the provisional agenda of its eighty-first session the sub-item;"),
]


def base() -> Resolution:
    return res(PP, OP)


def rebuilt(segments, side: str) -> str:
    drop = "ins" if side == "old" else "del"
    return "".join(s.text for s in segments if s.kind != drop)


def marks(segments) -> str:
    """Segments as [-del-]{+ins+} text, for readable assertions."""
    out = []
    for s in segments:
        out.append(s.text if s.kind == "same" else f"[-{s.text}-]" if s.kind == "del" else f"{{+{s.text}+}}")
    return "".join(out)


def by_status(c: Comparison) -> Counter[str]:
    return Counter(p.status for p in c.paragraphs)


def labels(c: Comparison) -> list[tuple[str, str | None, str | None]]:
    return [(p.status, p.old_label, p.new_label) for p in c.paragraphs]


@pytest.fixture(scope="module")
def r79() -> Resolution:
    return import_path(RES_79_53)


@pytest.fixture(scope="module")
def r75() -> Resolution:
    return import_path(RES_75_59)


# -- tokens and word differences -------------------------------------------------------


TRICKY = [
    ("", ""),
    ("", "Recalling,"),
    ("Recalling,", ""),
    ("States, including", "States; including"),
    ("the “Global Framework” (2023)", 'the "Global Framework" (2024)'),
    ("today’s peacekeepers", "today's peacekeepers"),
    ("self-defence", "selfdefence"),
    ("a  b", "a b"),
    ("  leading and trailing  ", "leading and trailing"),
    ("Strongly urges States to develop and implement, where appropriate, all measures;",
     "Urges States to develop, adopt and implement, as appropriate, all national measures;"),
    ("the cat", "the the cat"),
    ("a, b, c", "a; b; c"),
    ("Encourages States to continue to hold open, informal consultations",
     "Requests the Secretary-General to convene informal consultations"),
    ("x – y — z … (i) [a] {b} 1.5% 70/46", "x - y -- z ... (ii) [b] {a} 2.5% 70/47"),
    ("é è ü", "e è u"),
]


def test_tokens_rebuild_the_text_and_split_off_each_punctuation_mark():
    text = "Recalling “the Strategy” (2006), today’s self-defence; 70/46 – and…"
    assert "".join(tokenize(text)) == text
    assert "".join(coarse_tokenize(text)) == text
    toks = tokenize(text)
    for mark in ["“", "”", "(", ")", ",", "’", "-", ";", "/", "–", "…"]:
        assert mark in toks, mark
    assert "Recalling" in toks and "Strategy" in toks and " " in toks


@pytest.mark.parametrize("old,new", TRICKY)
def test_word_diff_rebuilds_both_texts(old, new):
    segs = word_diff(old, new)
    assert rebuilt(segs, "old") == old
    assert rebuilt(segs, "new") == new
    assert all(s.text for s in segs)
    # adjacent segments are merged: never two of one kind in a row
    assert all(a.kind != b.kind for a, b in zip(segs, segs[1:]))


def test_word_diff_rebuilds_both_texts_on_random_edits(r79):
    """Random word and punctuation edits of the real paragraphs (fixed seed)."""
    rng = random.Random(7953)
    vocab = ["States", "the", ",", ";", "“", "”", "(", ")", " ", "  ", "-", "and", "Nations", "’s"]
    texts = [p.text for p in r79.paragraphs()]
    for _ in range(300):
        old = rng.choice(texts)
        toks = tokenize(old)
        for _ in range(rng.randint(1, 8)):
            k = rng.randrange(len(toks) + 1)
            op = rng.choice(["ins", "del", "sub"])
            if op == "ins" or k == len(toks):
                toks.insert(k, rng.choice(vocab))
            elif op == "del":
                del toks[k]
            else:
                toks[k] = rng.choice(vocab)
        new = "".join(toks)
        segs = word_diff(old, new)
        assert rebuilt(segs, "old") == old
        assert rebuilt(segs, "new") == new
        assert all(a.kind != b.kind for a, b in zip(segs, segs[1:]))


def test_a_replaced_word_is_deleted_and_inserted_whole():
    segs = word_diff("at its eighty-first session", "at its eighty-third session")
    assert marks(segs) == "at its eighty-[-first-]{+third+} session"
    segs = word_diff("Strongly urges States", "Strongly encourages States")
    assert marks(segs) == "Strongly [-urges-]{+encourages+} States"


def test_punctuation_only_change_is_just_the_mark():
    segs = word_diff("States, including the private sector", "States; including the private sector")
    assert [(s.kind, s.text) for s in segs] == [
        ("same", "States"), ("del", ","), ("ins", ";"), ("same", " including the private sector")]


def test_no_lone_space_is_deleted_or_inserted_when_words_change():
    for old, new in TRICKY[9:13]:
        for s in word_diff(old, new):
            if s.kind != "same":
                assert s.text.strip(), (old, new, marks(word_diff(old, new)))
    assert marks(word_diff("develop and implement", "develop, adopt and implement")) == \
        "develop{+, adopt+} and implement"


def test_a_rewritten_clause_reads_as_one_deletion_and_one_insertion():
    segs = word_diff("Encourages States to continue to hold open, informal consultations",
                     "Requests the Secretary-General to convene informal consultations")
    assert marks(segs) == ("[-Encourages States to continue to hold open,-]"
                           "{+Requests the Secretary-General to convene+} informal consultations")


def test_word_diff_attributes_insertions_and_deletions():
    segs = word_diff("a big dog", "a small dog", attribute_ins=lambda t: EGYPT, attribute_del=lambda t: FRANCE)
    assert [(s.kind, s.text, s.author) for s in segs] == [
        ("same", "a ", None), ("del", "big", FRANCE), ("ins", "small", EGYPT), ("same", " dog", None)]


def test_longest_increasing_keeps_all_but_the_moved():
    assert longest_increasing([0, 2, 3, 4, 1, 5]) == [0, 1, 2, 3, 5]  # positions: 1 is the move
    assert longest_increasing([]) == []
    assert len(longest_increasing([5, 4, 3])) == 1


# -- paragraphs: hand-built versions ---------------------------------------------------


def test_identical_versions_are_all_same():
    c = compare(base(), base())
    assert by_status(c) == {"same": 8}
    assert [p.new_label for p in c.paragraphs] == ["PP1", "PP2", "PP3", "OP1", "OP2", "OP3", "OP4", "OP5"]
    assert all(p.old_label == p.new_label for p in c.paragraphs)
    assert all(len(p.segments) == 1 and p.segments[0].kind == "same" for p in c.paragraphs)
    assert c.footnotes_added == c.footnotes_removed == []


def test_identical_real_resolution_is_all_same(r79):
    c = compare(r79, copy.deepcopy(r79))
    assert by_status(c) == {"same": 57}
    assert "no changes" in redline(c)


def test_a_word_changed():
    new = base()
    new.operative[2].text = new.operative[2].text.replace("eighty-first", "eighty-third")
    c = compare(base(), new)
    assert by_status(c) == {"same": 7, "changed": 1}
    ch = next(p for p in c.paragraphs if p.status == "changed")
    assert (ch.old_label, ch.new_label) == ("OP3", "OP3")
    assert marks(ch.segments) == ("Requests the Secretary-General to report to the General Assembly "
                                  "at its eighty-[-first-]{+third+} session;")


def test_punctuation_only_change_in_a_paragraph():
    new = base()
    new.operative[1].text = new.operative[1].text.replace("States, including", "States; including")
    ch = next(p for p in compare(base(), new).paragraphs if p.status == "changed")
    assert [(s.kind, s.text) for s in ch.segments if s.kind != "same"] == [("del", ","), ("ins", ";")]


def test_an_inserted_paragraph_renumbers_without_changing():
    new = base()
    new.operative.insert(1, para("o-new", "Calls upon States to share information;"))
    c = compare(base(), new)
    assert by_status(c) == {"same": 8, "added": 1}
    assert labels(c)[3:] == [
        ("same", "OP1", "OP1"),
        ("added", None, "OP2"),
        ("same", "OP2", "OP3"),
        ("same", "OP3", "OP4"),
        ("same", "OP4", "OP5"),
        ("same", "OP5", "OP6"),
    ]
    added = c.paragraphs[4]
    assert [(s.kind, s.text) for s in added.segments] == [("ins", "Calls upon States to share information;")]


def test_a_deleted_paragraph_stands_where_it_stood():
    new = base()
    del new.operative[2]
    c = compare(base(), new)
    assert labels(c)[3:] == [
        ("same", "OP1", "OP1"),
        ("same", "OP2", "OP2"),
        ("deleted", "OP3", None),
        ("same", "OP4", "OP3"),
        ("same", "OP5", "OP4"),
    ]
    assert [(s.kind, s.text) for s in c.paragraphs[5].segments] == [("del", OP[2][1])]


def test_deleted_first_paragraphs_open_their_part():
    new = base()
    del new.operative[0]
    del new.preamble[0]
    new.operative.insert(0, para("o-new", "Welcomes the report;"))
    c = compare(base(), new)
    assert labels(c)[:5] == [
        ("deleted", "PP1", None),
        ("same", "PP2", "PP1"),
        ("same", "PP3", "PP2"),
        ("deleted", "OP1", None),  # never before the end of the preamble
        ("added", None, "OP1"),
    ]


def test_a_replaced_paragraph_shows_the_deletion_before_the_insertion():
    new = base()
    new.operative[1] = para("o-new", "Welcomes the report of the Secretary-General;")
    c = compare(base(), new)
    assert labels(c)[3:6] == [("same", "OP1", "OP1"), ("deleted", "OP2", None), ("added", None, "OP2")]


def test_one_paragraph_moved_is_the_one_move():
    new = base()
    moved = new.operative.pop(0)
    new.operative.insert(3, moved)  # OP1 -> OP4: OP2..OP4 shift up, and are not moves
    c = compare(base(), new)
    assert by_status(c) == {"same": 7, "moved": 1}
    assert labels(c)[3:] == [
        ("same", "OP2", "OP1"),
        ("same", "OP3", "OP2"),
        ("same", "OP4", "OP3"),
        ("moved", "OP1", "OP4"),
        ("same", "OP5", "OP5"),
    ]
    assert "OP4  (moved from OP1)" in redline(c)


def test_a_moved_and_reworded_paragraph_is_moved_with_its_word_changes():
    new = base()
    moved = new.operative.pop(4)
    moved.text = moved.text.replace("eighty-first", "eighty-third")
    new.operative.insert(0, moved)
    c = compare(base(), new)
    assert by_status(c) == {"same": 7, "moved": 1}
    mv = c.paragraphs[3]
    assert (mv.status, mv.old_label, mv.new_label) == ("moved", "OP5", "OP1")
    assert "eighty-[-first-]{+third+}" in marks(mv.segments)


def test_a_paragraph_moved_from_the_preamble_to_the_operative_part():
    new = base()
    pp = new.preamble.pop(1)
    new.operative.insert(2, Paragraph(id=pp.id, kind="op", lead="Expresses grave concern",
                                      text=pp.text.replace("Expressing", "Expresses").rstrip(",") + ";"))
    c = compare(base(), new)
    assert by_status(c) == {"same": 7, "moved": 1}
    mv = next(p for p in c.paragraphs if p.status == "moved")
    assert mv.kind_changed
    assert (mv.old_label, mv.new_label) == ("PP2", "OP3")
    assert marks(mv.segments).startswith("[-Expressing-]{+Expresses+} grave concern")
    assert marks(mv.segments).endswith("devices[-,-]{+;+}")
    # the operative paragraphs after it are renumbered, not changed
    assert ("same", "OP3", "OP4") in labels(c)
    assert "preamble <-> operative part" in redline(c)


def test_last_preambular_paragraph_becoming_the_first_operative_is_still_a_move():
    new = base()
    pp = new.preamble.pop()
    new.operative.insert(0, Paragraph(id=pp.id, kind="op", text="Recognizes" + pp.text[len("Recognizing"):]))
    c = compare(base(), new)
    mv = next(p for p in c.paragraphs if p.old_label == "PP3")
    assert (mv.status, mv.new_label, mv.kind_changed) == ("moved", "OP1", True)


SPLIT_WHOLE = ("Encourages international and regional cooperation among States, including the sharing "
               "of information and good practices, and encourages States to develop regional strategies "
               "to address region-specific challenges;")
SPLIT_HEAD = ("Encourages international and regional cooperation among States, including the sharing "
              "of information and good practices;")
SPLIT_TAIL = "Encourages States to develop regional strategies to address region-specific challenges;"


def test_a_split_paragraph_is_changed_plus_added():
    """In a live draft the first half keeps the id and the second half gets a new one:
    the paragraph loses its tail, and the tail comes back as an added paragraph."""
    old = res(PP, [OP[0], ("o2", SPLIT_WHOLE), OP[2]])
    new = res(PP, [OP[0], ("o2", SPLIT_HEAD), ("o-split", SPLIT_TAIL), OP[2]])
    c = compare(old, new)
    assert labels(c)[3:] == [
        ("same", "OP1", "OP1"),
        ("changed", "OP2", "OP2"),
        ("added", None, "OP3"),
        ("same", "OP3", "OP4"),
    ]
    head = c.paragraphs[4]
    assert marks(head.segments) == (
        "Encourages international and regional cooperation among States, including the sharing of "
        "information and good practices[-, and encourages States to develop regional strategies to "
        "address region-specific challenges-];")


def test_a_split_paragraph_without_ids_is_matched_by_text():
    """Imported texts: ids say nothing, the larger half is the one matched."""
    old = res(PP, [OP[0], ("x2", SPLIT_WHOLE), OP[2]])
    new = res([(f"n{i}", t) for i, t in PP],
              [("n-o1", OP[0][1]), ("n-a", SPLIT_HEAD), ("n-b", SPLIT_TAIL), ("n-o3", OP[2][1])])
    c = compare(old, new)
    assert labels(c)[3:] == [
        ("same", "OP1", "OP1"),
        ("changed", "OP2", "OP2"),
        ("added", None, "OP3"),
        ("same", "OP3", "OP4"),
    ]


def test_merged_paragraphs_are_changed_plus_deleted():
    """The merged paragraph keeps the first one's id and shows the second one's text as
    inserted; the second one is deleted where it stood."""
    old = res(PP, [OP[0], ("o2", SPLIT_HEAD), ("o3", SPLIT_TAIL), OP[3]])
    new = res(PP, [OP[0], ("o2", SPLIT_WHOLE), OP[3]])
    c = compare(old, new)
    assert labels(c)[3:] == [
        ("same", "OP1", "OP1"),
        ("changed", "OP2", "OP2"),
        ("deleted", "OP3", None),
        ("same", "OP4", "OP3"),
    ]
    assert "{+, and encourages States to develop regional strategies to address region-specific challenges+}" \
        in marks(c.paragraphs[4].segments)
    # and without ids, the same reading
    old2 = res([(f"x{i}", t) for i, t in PP], [("x1", OP[0][1]), ("x2", SPLIT_HEAD), ("x3", SPLIT_TAIL),
                                                ("x4", OP[3][1])])
    assert labels(compare(old2, new)) == labels(c)


def test_between_versions_of_one_draft_ids_are_trusted():
    """Same lineage: a paragraph deleted and a similar one added stay deleted and added."""
    new = base()
    new.operative[3] = para("o-new", OP[3][1].replace("civil society", "academia"))
    c = compare(base(), new)
    assert ("deleted", "OP4", None) in labels(c) and ("added", None, "OP4") in labels(c)
    # asked to, it matches them by text
    c = compare(base(), new, by_similarity=True)
    assert ("changed", "OP4", "OP4") in labels(c)


def test_subparagraphs_are_aligned_within_their_paragraph():
    def op(subs: list[tuple[str, str]]) -> Resolution:
        r = res(PP[:1], OP[:2])
        r.operative[1].subparagraphs = [Paragraph(id=i, kind="sub", text=t) for i, t in subs]
        return r

    subs = [("s-a", "Assistance to affected countries;"), ("s-b", "Support for national programmes;"),
            ("s-c", "Reliable and timely contributions;")]
    new_subs = [subs[0], ("s-new", "Technological assistance;"), subs[2]]
    new_subs[2] = ("s-c", "Reliable, predictable and timely contributions;")
    c = compare(op(subs), op(new_subs))
    assert labels(c) == [
        ("same", "PP1", "PP1"),
        ("same", "OP1", "OP1"),
        ("same", "OP2", "OP2"),
        ("same", "OP2 (a)", "OP2 (a)"),
        ("deleted", "OP2 (b)", None),
        ("added", None, "OP2 (b)"),
        ("changed", "OP2 (c)", "OP2 (c)"),
    ]


def test_subparagraphs_of_an_added_paragraph_are_added_with_it(r79):
    r78 = import_path(RES_78_70)
    new = copy.deepcopy(r78)
    op4 = new.operative.pop(3)
    c = compare(r78, new)
    deleted = [p for p in c.paragraphs if p.status == "deleted"]
    assert [p.old_label for p in deleted] == ["OP4"] + [f"OP4 ({x})" for x in "abcde"][: len(op4.subparagraphs)]
    assert by_status(c)["same"] == len(r78.paragraphs()) - len(deleted)
    c = compare(new, r78)
    assert [p.new_label for p in c.paragraphs if p.status == "added"][:2] == ["OP4", "OP4 (a)"]


def test_a_deleted_subparagraph_relabels_the_ones_after_it():
    r78 = import_path(RES_78_70)
    new = copy.deepcopy(r78)
    del new.operative[3].subparagraphs[1]
    c = compare(r78, new)
    subs = [(p.status, p.old_label, p.new_label) for p in c.paragraphs
            if (p.old_label or p.new_label or "").startswith("OP4 (")]
    assert subs[:4] == [
        ("same", "OP4 (a)", "OP4 (a)"),
        ("deleted", "OP4 (b)", None),
        ("same", "OP4 (c)", "OP4 (b)"),
        ("same", "OP4 (d)", "OP4 (c)"),
    ]


def test_footnotes_are_compared_by_text():
    old, new = base(), base()
    old.footnotes = [Footnote(1, "A/79/211."), Footnote(2, "See resolution 2370 (2017).")]
    new.footnotes = [Footnote(1, "See resolution 2370 (2017)."), Footnote(2, "A/81/100.")]
    c = compare(old, new)
    assert [f.text for f in c.footnotes_added] == ["A/81/100."]
    assert [f.text for f in c.footnotes_removed] == ["A/79/211."]


# -- authors ---------------------------------------------------------------------------


def test_attribution_lands_on_the_right_segments_and_paragraphs():
    new = base()
    new.operative[0].text = "Strongly urges States to develop, adopt and implement national measures;"  # Egypt
    new.operative[2].text = new.operative[2].text.replace("eighty-first", "eighty-third")  # Secretariat
    new.operative.insert(4, para("o-fr", "Welcomes the work of the Mine Action Service;"))  # France adds
    del new.operative[1]  # Egypt deletes OP2
    new.preamble.insert(0, new.preamble.pop(2))  # France moves PP3 to the top

    calls: list[tuple[str, str, str]] = []

    def attribute(pid: str, kind: str, text: str) -> Author | None:
        calls.append((pid, kind, text))
        return {
            ("o1", "ins"): EGYPT,
            ("o3", "ins"): SECRETARIAT, ("o3", "del"): SECRETARIAT,
            ("o-fr", "add"): FRANCE, ("o-fr", "ins"): FRANCE,
            ("o2", "delete"): EGYPT, ("o2", "del"): EGYPT,
            ("p3", "move"): FRANCE,
        }.get((pid, kind))

    c = compare(base(), new, attribute)
    by_old = {p.old_label: p for p in c.paragraphs if p.old_label}
    by_new = {p.new_label: p for p in c.paragraphs if p.new_label}

    op1 = by_new["OP1"]
    assert [(s.kind, s.text, s.author) for s in op1.segments if s.kind != "same"] == [("ins", ", adopt", EGYPT)]
    assert op1.author is None
    op3 = by_old["OP3"]
    assert [(s.kind, s.text, s.author) for s in op3.segments if s.kind != "same"] == [
        ("del", "first", SECRETARIAT), ("ins", "third", SECRETARIAT)]
    added = next(p for p in c.paragraphs if p.status == "added")
    assert added.author == FRANCE and added.segments[0].author == FRANCE
    deleted = by_old["OP2"]
    assert deleted.status == "deleted" and deleted.author == EGYPT and deleted.segments[0].author == EGYPT
    moved = by_new["PP1"]
    assert (moved.status, moved.old_label, moved.author) == ("moved", "PP3", FRANCE)
    # unchanged paragraphs and unchanged text are never attributed
    assert all(s.author is None for p in c.paragraphs for s in p.segments if s.kind == "same")
    assert all(p.author is None for p in c.paragraphs if p.status in ("same", "changed"))
    assert ("o3", "ins", "third") in calls and ("o3", "del", "first") in calls

    text = redline(c)
    assert "[-first-]{+third+}[Secretariat]" in text  # one tag for the replacement
    assert "{+, adopt+}[Egypt]" in text
    assert "PP1  (moved from PP3) [France]" in text
    assert "old OP2  (deleted) [Egypt]" in text


def test_no_attribute_means_no_authors():
    new = base()
    new.operative[0].text += " and welcomes"
    c = compare(base(), new)
    assert all(s.author is None for p in c.paragraphs for s in p.segments)


def test_technical_rollover_attributed_to_the_secretariat(r79):
    draft, changes = roll_over(r79)
    technical = {ch.target for ch in changes}

    def attribute(pid: str, kind: str, text: str) -> Author | None:
        return SECRETARIAT if pid in technical else None

    c = compare(r79, draft, attribute)
    changed = [p for p in c.paragraphs if p.status != "same"]
    assert {p.new.id for p in changed if p.new} == technical & {p.id for p in r79.paragraphs()}
    assert all(p.status == "changed" for p in changed)
    assert all(s.author == SECRETARIAT for p in changed for s in p.segments if s.kind != "same")
    assert [f.text for f in c.footnotes_removed] == ["A/79/211."]
    op26 = next(p for p in changed if p.new_label == "OP26")
    assert "eighty-[-first-]{+third+} session" in marks(op26.segments)


# -- the captured resolutions ----------------------------------------------------------


def test_79_53_against_a_draft_with_edits_moves_insertion_and_deletion(r79):
    new = copy.deepcopy(r79)
    new.operative[4].text = new.operative[4].text.replace("Encourages", "Strongly encourages", 1)
    new.operative.insert(10, para("new-op", "Welcomes the Global Framework for Through-life Conventional "
                                            "Ammunition Management;"))
    moved = new.operative.pop(20)
    new.operative.insert(2, moved)
    del new.preamble[5]
    c = compare(r79, new)
    assert by_status(c) == {"same": 54, "changed": 1, "moved": 1, "added": 1, "deleted": 1}
    assert ("moved", "OP20", "OP3") in labels(c)  # OP20 of 79/53: index 20 after the insertion
    assert ("deleted", "PP6", None) in labels(c)
    assert ("same", "PP7", "PP6") in labels(c)
    assert ("changed", "OP5", "OP6") in labels(c)
    assert ("added", None, "OP12") in labels(c)
    assert ("same", "OP28", "OP29") in labels(c)
    # the deleted PP6 stands after PP5, the paragraph that preceded it
    order = [(p.old_label, p.new_label) for p in c.paragraphs]
    assert order.index(("PP6", None)) == order.index(("PP5", "PP5")) + 1


def test_75_59_against_79_53_matches_paragraphs_by_text(r75, r79):
    """No shared ids: every match is made by similarity. The figures below were checked
    by reading the two resolutions side by side."""
    c = compare(r75, r79)
    counts = by_status(c)
    matched = counts["same"] + counts["changed"] + counts["moved"]
    assert 42 <= matched <= 48, counts
    assert 8 <= counts["added"] <= 14 and 6 <= counts["deleted"] <= 12, counts
    assert matched + counts["added"] == len(r79.paragraphs())
    assert matched + counts["deleted"] == len(r75.paragraphs())

    def counterpart(start: str) -> tuple[str, str | None, str | None]:
        p = next(p for p in c.paragraphs if p.new and p.new.text.startswith(start))
        return p.status, p.old_label, p.new_label

    # a recital that changed one word and gained "of the United Nations"
    assert counterpart("Reaffirming the inherent right") == ("changed", "PP24", "PP24")
    # the report taken note of: an operative paragraph in 75/59, a recital in 79/53
    status, old_label, new_label = counterpart("Taking note of the report of the Secretary-General")
    assert (status, old_label, new_label) == ("moved", "OP1", "PP29")
    assert next(p for p in c.paragraphs if p.new_label == "PP29").kind_changed
    # the agenda paragraph, two sessions on
    assert counterpart("Decides to include in the provisional agenda") == ("changed", "OP31", "OP28")
    # unchanged recitals, renumbered
    assert counterpart("Recognizing the importance of full involvement") == ("same", "PP8", "PP7")
    # 75/59 PP21 was split: its second half is 79/53's new PP22
    assert counterpart("Noting the ongoing work on the issue") == ("changed", "PP21", "PP21")
    assert counterpart("Noting also that, for States parties thereto") == ("added", None, "PP22")
    # paragraphs new in 79/53
    assert counterpart("Taking note of the recommendation of the Secretary-General in the New Agenda")[0] == "added"
    assert counterpart("Encourages States to consider the implementation of the relevant aspects")[0] == "added"


def test_71_72_against_79_53_keeps_the_counterparts(r79):
    c = compare(import_path(RES_71_72), r79)
    counts = by_status(c)
    matched = counts["same"] + counts["changed"] + counts["moved"]
    assert 30 <= matched <= 38, counts
    pp1 = next(p for p in c.paragraphs if p.new_label == "PP1")
    assert pp1.old_label == "PP1" and pp1.status == "changed"


def test_redline_renders(r75, r79):
    c = compare(r75, r79)
    text = redline(c)
    assert text.startswith("A/RES/75/59 -> A/RES/79/53: ")
    assert "PP24\nReaffirming the inherent right of Member States to individual or collective " \
           "[-self-defence-]{+selfdefence+} in accordance with Article 51 of the Charter{+ of the United Nations+}," in text
    assert "PP29  (moved from OP1, preamble <-> operative part)" in text
    assert "PP7-PP8: 2 paragraphs unchanged (were PP8-PP9)" in text
    assert "\x1b[" not in text
    colored = redline(c, color=True)
    assert "\x1b[31mself-defence\x1b[0m\x1b[32mselfdefence\x1b[0m" in colored
    full = redline(c, unchanged=True)
    assert "paragraphs unchanged" not in full and len(full) > len(text)


def test_an_edited_footnote_is_compared_word_by_word_under_its_author():
    """A footnote whose sign stays in place but whose text changed ("A/81/[...]" ->
    "A/81/187") is an edit, attributed like a paragraph (as footnote:N), not a removal
    and an addition."""
    old, new = base(), base()
    for doc, text in ((old, "Report of the Secretary-General (A/81/[...])."),
                      (new, "Report of the Secretary-General (A/81/187).")):
        doc.footnotes = [Footnote(1, "See resolution 2370 (2017)."), Footnote(2, text)]
        doc.operative[0].footnote_refs = [FootnoteRef(1, 5), FootnoteRef(2, 10)]
    secretariat = Author("Secretariat", technical=True)
    asked = []

    def attribute(pid, kind, text):
        asked.append(pid)
        return secretariat if pid == "footnote:2" else None
    c = compare(old, new, attribute)
    assert marks(c.footnote_edits[2]) == "Report of the Secretary-General (A/81/[-[...]-]{+187+})."
    assert {s.author for s in c.footnote_edits[2] if s.kind != "same"} == {secretariat}
    assert 1 not in c.footnote_edits and "footnote:2" in asked
    printed = redline(c)
    assert "Footnote 2 edited: Report of the Secretary-General (A/81/[-[...]-][Secretariat]{+187+}[Secretariat])." in printed
    assert "removed" not in printed and "added" not in printed
