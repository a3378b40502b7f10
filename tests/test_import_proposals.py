"""A delegation's list of proposals (seed 000): twenty items, some numbers lost."""

from __future__ import annotations

from penholder.ingest import import_path, import_text
from penholder.model import ProposalList
from seeds import PROPOSALS


def test_twenty_items_numbered_in_order_with_headings_and_whole_texts():
    doc = import_path(PROPOSALS)
    assert isinstance(doc, ProposalList)
    items = doc.to_json()["items"]
    assert [i["number"] for i in items] == list(range(1, 21))
    headings = [i["heading"] for i in items]
    assert headings[0] == "Strengthening international legislation"
    assert headings[2] == "Capacity-building and technical assistance"  # number lost
    assert headings[8] == "Empowerment of women and girls"
    assert headings[9] == "Integrated approach to security and development"  # "10.Integrated"
    assert headings[10] == "Regulation and control of precursor materials"  # its "11." displaced
    assert headings[19] == "Victim assistance and long-term recovery"
    # item 10 was cut by its displaced neighbour's number; it reads whole
    assert items[9]["text"] == (
        "Adopt an integrated approach that bridges security measures with sustainable "
        "development and peace-building initiatives, aiming to address the underlying causes "
        "of the use of IEDs and promoting long-term stability.")
    assert "including the use of advanced screening and risk-profiling tools." in items[11]["text"]
    for item in items:
        assert item["text"][0].isupper() and item["text"].endswith(".")
        assert ":" not in item["heading"]
    assert doc.title.startswith("UNGA Resolution 79/53")
    assert any("stray item number" in w for w in doc.warnings)


def test_proposal_list_in_markdown_with_clean_numbers():
    text = "\n".join([
        "Our proposals",
        "",
        "1. First thing: Do the first thing.",
        "2. Second thing: Do the second",
        "thing, carefully.",
        "3. Third thing: Do the third thing.",
    ])
    doc = import_text(text)
    assert isinstance(doc, ProposalList)
    assert [(i.heading, i.text) for i in doc.items] == [
        ("First thing", "Do the first thing."),
        ("Second thing", "Do the second thing, carefully."),
        ("Third thing", "Do the third thing."),
    ]
    assert doc.warnings == []
