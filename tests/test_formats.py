""".docx and PDF: the four seeds written out as real files and read back, and files that
cannot be read refused with a reason.

The .docx files are made by pandoc from Markdown rendered off the imported model, with
real Word footnotes and numbered lists (or typed numbers and indented paragraphs); the
PDFs by fpdf2, laid out as the resolution is printed. Reading either back must give the
same document model.
"""

from __future__ import annotations

import io
import random
import zipfile
import xml.etree.ElementTree as ET
from pathlib import Path

import pypandoc
import pytest
from fpdf import FPDF
from pypdf import PdfWriter

from penholder.cli import main
from penholder.ingest import IngestError, import_path
from penholder.ingest.docx import _tidy, docx_to_text
from penholder.ingest.pdf import pdf_to_text
from penholder.model import Resolution
from roundtrip import structure, to_markdown, to_pdf
from seeds import ALL, RES_78_70, RES_79_53

SEEDS = {p.name: p for p in ALL}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def seeds() -> dict[str, Resolution]:
    out = {}
    for name, path in SEEDS.items():
        doc = import_path(path)
        assert isinstance(doc, Resolution)
        out[name] = doc
    return out


_printed: dict[tuple[str, bool], bytes] = {}


def printed(seeds: dict[str, Resolution], name: str, notes_at_page_end: bool = True) -> bytes:
    """The seed printed to PDF (tests/roundtrip.py), once per module: the tests only read
    the bytes, and printing one takes about half a second."""
    key = (name, notes_at_page_end)
    if key not in _printed:
        _printed[key] = to_pdf(seeds[name], notes_at_page_end=notes_at_page_end)
    return _printed[key]


def write_docx(markdown: str, path: Path) -> Path:
    # `-smart`: straight quotes stay straight, as they are in the seeds.
    pypandoc.convert_text(markdown, "docx", format="markdown-smart", outputfile=str(path))
    return path


def read_back(path: Path) -> Resolution:
    doc = import_path(path)
    assert isinstance(doc, Resolution)
    return doc


def assert_same(back: Resolution, original: Resolution, fold: bool = False) -> None:
    got, want = structure(back), structure(original, fold=fold)
    # Field by field first, for a readable failure.
    for key in ("symbol", "title", "session", "committee", "agenda_item", "agenda_title",
                "adopted_on", "meeting"):
        assert got[key] == want[key], key
    assert len(got["preamble"]) == len(want["preamble"])
    assert len(got["operative"]) == len(want["operative"])
    assert len(got["footnotes"]) == len(want["footnotes"])
    for part in ("preamble", "operative"):
        for i, (g, w) in enumerate(zip(got[part], want[part]), 1):
            assert g["lead"] == w["lead"], f"{part} {i}"
            assert g["text"] == w["text"], f"{part} {i}"
            assert g["refs"] == w["refs"], f"{part} {i}"
            assert g["subparagraphs"] == w["subparagraphs"], f"{part} {i}"
    assert got["footnotes"] == want["footnotes"]
    assert got == want


# -- .docx ------------------------------------------------------------------------------

@pytest.mark.parametrize("typed", [False, True], ids=["word-lists", "typed-numbers"])
@pytest.mark.parametrize("name", list(SEEDS))
def test_docx_round_trip(seeds, tmp_path, name, typed):
    original = seeds[name]
    path = write_docx(to_markdown(original, typed=typed), tmp_path / "resolution.docx")

    with zipfile.ZipFile(path) as z:
        notes = ET.fromstring(z.read("word/footnotes.xml"))
        document = z.read("word/document.xml").decode("utf-8")
    # Real Word footnotes: each text in footnotes.xml, each mark a footnote reference.
    texts = [" ".join("".join(t.text or "" for t in note.iter(f"{W}t")).split())
             for note in notes.iter(f"{W}footnote") if note.get(f"{W}type") is None]
    assert texts == [f.text for f in original.footnotes]
    assert document.count("<w:footnoteReference ") == len(original.footnotes)
    assert ("<w:numPr>" in document) is not typed  # Word numbered lists, or typed numbers

    back = read_back(path)
    assert_same(back, original)
    # Nothing guessed or repaired that the first import did not have to.
    assert set(back.warnings) <= set(original.warnings)


def test_docx_text_is_what_the_reader_reads(seeds, tmp_path):
    original = seeds[RES_78_70.name]
    path = write_docx(to_markdown(original), tmp_path / "r.docx")
    text = docx_to_text(path.read_bytes())
    lines = text.splitlines()
    assert "*Recalling also* all relevant treaties and conventions[^1] and their review processes," in lines
    assert any(ln.startswith("4.  *Urges* all Member States") for ln in lines)
    assert any(ln.startswith("(a) Assistance to countries affected") for ln in lines)
    assert "*45th plenary meeting*" in lines and "*7 December 2023*" in lines
    notes = [ln for ln in lines if ln.startswith("[^")]
    assert [ln.split("]")[0] for ln in notes] == [f"[^{n}" for n in range(1, 12)]
    assert not any(ln.lstrip().startswith((">", "<!--")) for ln in lines)


def test_docx_flattens_what_a_resolution_does_not_need(tmp_path):
    markdown = "\n\n".join([
        "# General Assembly",
        "*The General Assembly,*",
        "> *Recalling* its resolution 70/46 of the 71^st^ session, H~2~O, [underlined]{.underline},"
        " [small caps]{.smallcaps}, a [link](https://undocs.org/A/70/46),[^1]",
        "1. *Decides* to stay seized of the matter:",
        "    a) first;",
        "    b) second.",
        "| Item | Amount |\n|------|--------|\n| One  | 100    |",
        "*45th plenary meeting*\\\n*7 December 2015*",
        "[^1]: First paragraph of the note.\n\n    Second paragraph of the note.",
    ])
    text = docx_to_text(write_docx(markdown, tmp_path / "x.docx").read_bytes())
    lines = [ln for ln in text.splitlines() if ln]
    assert lines == [
        "General Assembly",
        "*The General Assembly,*",
        "*Recalling* its resolution 70/46 of the 71st session, H2O, underlined, small caps,"
        " a link,[^1]",
        "1.  *Decides* to stay seized of the matter:",
        "    (a) first;",
        "    (b) second.",
        "Item Amount",
        "One 100",
        "*45th plenary meeting*",
        "*7 December 2015*",
        "[^1]: First paragraph of the note. Second paragraph of the note.",
    ]


def test_tidy_keeps_an_escaped_backslash_and_joins_note_paragraphs():
    assert _tidy("a path C:\\\\\nnext\\\nline\n") == "a path C:\\\\\nnext\nline\n"
    assert _tidy("[^1]: One.\n\n    Two.\n\n    Three.\n\nBody\n") == "[^1]: One. Two. Three.\nBody\n"


# -- PDF --------------------------------------------------------------------------------

@pytest.mark.parametrize("notes_at_page_end", [True, False], ids=["notes-at-page-end", "notes-at-end"])
@pytest.mark.parametrize("name", list(SEEDS))
def test_pdf_round_trip(seeds, tmp_path, name, notes_at_page_end):
    original = seeds[name]
    path = tmp_path / "resolution.pdf"
    path.write_bytes(printed(seeds, name, notes_at_page_end))
    assert_same(read_back(path), original, fold=True)


def test_pdf_text_is_read_by_its_layout_with_progress_per_page(seeds):
    data = printed(seeds, RES_79_53.name)
    seen: list[str] = []
    text = pdf_to_text(data, progress=seen.append)
    assert len(seen) > 3
    assert seen == [f"reading page {i} of {len(seen)}" for i in range(1, len(seen) + 1)]
    lines = text.splitlines()
    assert max(len(ln) for ln in lines) < 160 and len(lines) > 150  # printed lines, not paragraphs
    # the raised small digit is a mark, the italic phrase a lead, the rule opens the footnotes
    assert "unauthorized recipients,<sup>1</sup> which has affected a large number of" in text
    assert "*Recalling also* relevant resolutions" in text
    assert "__________________" in lines
    assert ("<sup>1</sup> See resolution 69/51, A/CONF.192/BMS/2014/2, A/71/187 and Security Council "
            "resolution 2370 (2017).") in lines


# -- Files that cannot be read --------------------------------------------------------------

def _fpdf_bytes(draw) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    draw(pdf)
    return bytes(pdf.output())


def _encrypted_pdf(seeds) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(printed(seeds, RES_78_70.name)))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _zip(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


def _docx_bytes(seeds, tmp_path) -> bytes:
    return write_docx(to_markdown(seeds[RES_78_70.name]), tmp_path / "good.docx").read_bytes()


def _damaged_document_xml(seeds, tmp_path) -> bytes:
    with zipfile.ZipFile(io.BytesIO(_docx_bytes(seeds, tmp_path))) as z:
        files = {n: z.read(n) for n in z.namelist()}
    files["word/document.xml"] = files["word/document.xml"][:2000]
    return _zip(files)


BAD = {
    "truncated.docx": (lambda seeds, tmp: _docx_bytes(seeds, tmp)[: len(_docx_bytes(seeds, tmp)) // 2],
                       "damaged zip archive"),
    "not-word.docx": (lambda seeds, tmp: _zip({"mimetype": b"application/epub+zip", "content.opf": b"<x/>"}),
                      "not a Word document"),
    "damaged-xml.docx": (_damaged_document_xml, "damaged Word document"),
    "random.pdf": (lambda seeds, tmp: b"%PDF-1.7\n" + random.Random(7).randbytes(4000), "damaged PDF"),
    "truncated.pdf": (lambda seeds, tmp: printed(seeds, RES_78_70.name)[:3000], "damaged PDF"),
    "encrypted.pdf": (lambda seeds, tmp: _encrypted_pdf(seeds), "encrypted PDF"),
    "scanned.pdf": (lambda seeds, tmp: _fpdf_bytes(lambda pdf: pdf.rect(20, 20, 100, 150, style="F")),
                    "no text layer"),
}


@pytest.mark.parametrize("name", list(BAD))
def test_unreadable_files_are_refused_with_a_reason(seeds, tmp_path, capsys, name):
    make, reason = BAD[name]
    path = tmp_path / name
    path.write_bytes(make(seeds, tmp_path))

    with pytest.raises(IngestError, match=reason) as caught:
        import_path(path)
    assert "\n" not in str(caught.value)

    capsys.readouterr()
    assert main(["import", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and reason in err and err.startswith("penholder import: ")


def test_an_owner_password_alone_does_not_stop_the_import(seeds, tmp_path):
    writer = PdfWriter(clone_from=io.BytesIO(printed(seeds, RES_78_70.name)))
    writer.encrypt(user_password="", owner_password="owner", algorithm="RC4-128")
    path = tmp_path / "restricted.pdf"
    writer.write(path)
    assert_same(read_back(path), seeds[RES_78_70.name], fold=True)
