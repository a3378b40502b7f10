"""Amendment operations checked against the text and applied to a live document."""

from __future__ import annotations

import pytest
from pycrdt import Doc

from penholder.amend.apply import apply
from penholder.amend.operations import AmendmentError, Proposal, Stale, check, current_state, describe, labels
from penholder.ingest import import_path
from penholder.sync.schema import read, seed
from seeds import RES_78_70, RES_79_53


@pytest.fixture
def doc() -> Doc:
    d = Doc()
    seed(d, import_path(RES_79_53), "res-79-53")
    return d


def applied(doc: Doc, p: Proposal, new_id: str = "am-1"):  # type: ignore[no-untyped-def]
    p = check(p, read(doc))
    with doc.transaction(origin="amendment:1"):
        apply(doc, p, new_id)
    return read(doc)


def test_replace_insert_delete_text_keep_footnotes_and_lead(doc):
    res = applied(doc, Proposal("insert_text", "res-79-53.pp8", "after", target_text="women, girls", new_text=", including women with disabilities"))
    assert "women, girls, including women with disabilities, boys and men" in res.preamble[7].text
    res = applied(doc, Proposal("replace_text", "res-79-53.pp2", target_text="thousands of casualties", new_text="many thousands of casualties"))
    pp2 = res.preamble[1]
    assert "many thousands of casualties" in pp2.text and pp2.lead == "Expressing grave concern"
    assert pp2.text[:pp2.footnote_refs[0].offset].endswith("unauthorized recipients,")
    res = applied(doc, Proposal("delete_text", "res-79-53.op3", target_text=" inter alia, relevant measures,"))
    assert "take appropriate measures, including those contained" in res.operative[2].text
    res = applied(doc, Proposal("change_lead", "res-79-53.op2", new_text="Calls upon"))
    assert res.operative[1].lead == "Calls upon" and res.operative[1].text.startswith("Calls upon States, where appropriate")


def test_add_delete_and_move_paragraphs_renumber(doc):
    before = read(doc)
    res = applied(doc, Proposal("add_paragraph", position="after:res-79-53.op3",
                                new_text="Encourages States to strengthen border controls;"), new_id="am-7")
    assert len(res.operative) == 29 and res.operative[3].id == "am-7" and res.operative[3].lead == "Encourages"
    assert res.operative[4].id == before.operative[3].id  # renumbered, same id
    res = applied(doc, Proposal("delete_paragraph", "res-79-53.op5"))
    assert [p.id for p in res.operative].count("res-79-53.op5") == 0 and len(res.operative) == 28
    # a preambular paragraph moved into the operative part keeps its id and its footnote
    res = applied(doc, Proposal("move_paragraph", "res-79-53.pp29", position="after:res-79-53.op1"))
    moved = res.operative[1]
    assert moved.id == "res-79-53.pp29" and moved.kind == "op" and moved.footnote_refs
    assert moved.lead == "Taking note" and len(res.preamble) == 28
    res = applied(doc, Proposal("add_paragraph", position="start:preamble", new_text="Recalling also its resolution 80/1,"), new_id="am-9")
    assert res.preamble[0].id == "am-9" and res.preamble[0].lead == "Recalling also"


def test_subparagraphs_move_with_their_paragraph():
    d = Doc()
    seed(d, import_path(RES_78_70), "res-78-70")
    res = applied(d, Proposal("move_paragraph", "res-78-70.op4", position="after:res-78-70.op6"))
    assert res.operative[5].id == "res-78-70.op4" and len(res.operative[5].subparagraphs) == 5
    assert labels(res)["res-78-70.op4.e"] == "OP6 (e)"


def test_bad_proposals_are_refused_with_a_reason(doc):
    res = read(doc)
    cases = [
        (Proposal("rewrite", "res-79-53.pp1"), "unknown operation"),
        (Proposal("replace_text", "nope", target_text="x", new_text="y"), "no paragraph 'nope'"),
        (Proposal("replace_text", "res-79-53.pp1", target_text="not there", new_text="y"), "not in PP1"),
        (Proposal("replace_text", "res-79-53.pp1", target_text="of", new_text="y"), "occurs"),
        (Proposal("replace_text", "res-79-53.pp1", target_text="70/46", new_text="  "), "empty"),
        (Proposal("insert_text", "res-79-53.pp1", "inside", target_text="70/46", new_text="x"), "'after' or 'before'"),
        (Proposal("add_paragraph", position="after:res-99.op1", new_text="Decides x;"), "no paragraph 'res-99.op1'"),
        (Proposal("add_paragraph", position="somewhere", new_text="Decides x;"), "position must be"),
        (Proposal("move_paragraph", "res-79-53.op1", position="after:res-79-53.op1"), "after itself"),
        (Proposal("replace_text", "res-79-53.pp1", target_text="70/46", new_text="x" * 20_000), "too long"),
    ]
    for proposal, reason in cases:
        with pytest.raises(AmendmentError, match=reason):
            check(proposal, res)


def test_stale_when_the_target_changed(doc):
    p = check(Proposal("replace_text", "res-79-53.pp2", target_text="thousands of casualties", new_text="many casualties"), read(doc))
    current_state(p, read(doc))  # fine now
    applied(doc, Proposal("replace_text", "res-79-53.pp2", target_text="thousands of", new_text="hundreds of"))
    with pytest.raises(Stale) as exc:
        current_state(p, read(doc))
    assert "no longer" in exc.value.reason and "hundreds of casualties" in exc.value.current_text
    # a change elsewhere in the paragraph does not make it stale
    q = check(Proposal("delete_text", "res-79-53.pp2", target_text=" both civilian and military,"), read(doc))
    applied(doc, Proposal("insert_text", "res-79-53.pp2", "after", target_text="all actors", new_text=" concerned"))
    current_state(q, read(doc))


def test_describe_reads_like_a_compilation_entry(doc):
    res = read(doc)
    assert describe(Proposal("insert_text", "x", "after", target_text="women,", new_text=" and girls")) == \
        "add \u201c and girls\u201d after \u201cwomen,\u201d"
    assert describe(Proposal("add_paragraph", position="after:res-79-53.op3", kind="op", new_text="Decides x;"), res) == \
        "add a new operative paragraph after OP3: \u201cDecides x;\u201d"
