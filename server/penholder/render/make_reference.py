"""Build `render/reference.docx`, the reference document that carries the UN look.

    .venv/bin/python -m penholder.render.make_reference      # rewrites reference.docx

It starts from pandoc's own default reference docx (so that every style pandoc's writer
uses exists) and edits its XML parts with zipfile and ElementTree; no Word needed.

- Page: A4, UN margins; body in Times New Roman 10 pt on 12 pt lines, justified.
- Paragraph styles named by `custom-style` in the AST (render/ast.py), e.g. "UN Preambular"
  (first-line indent), "UN Operative" (first-line indent, the number then a tab to the
  text, wrapped lines back at the body margin as in UN resolutions), "UN Subparagraph 1/2",
  "UN Title" (12 pt bold), masthead styles with the thin and the thick rule.
- Running header from page 2 on: the document symbol, bold 8.5 pt, with a rule; right on
  odd pages, left on even ones (evenAndOddHeaders); the first page has none (titlePg)
  because the masthead carries the symbol. Pandoc takes headers, footers and the section
  properties from the reference docx, not from the AST, so the header holds a SUBJECT field
  whose cached result is the placeholder `SYMBOL_PLACEHOLDER`; render/docx.py sets the
  document's subject to the symbol and writes it as the field's cached result, so Word
  (cached result), LibreOffice (document property) and any later field update agree.
- Footer: page number (outer side), 8.5 pt bold.
"""

from __future__ import annotations

import io
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "reference.docx"

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_HEADER = R + "/header"
REL_FOOTER = R + "/footer"
CT_HEADER = "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"
CT_FOOTER = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"

PLACEHOLDER = "SYMBOL_PLACEHOLDER"

# Geometry in twentieths of a point (twips): 567 twips = 1 cm.
PAGE_W, PAGE_H = 11906, 16838  # A4
MARGIN_LR = 1077  # 1.9 cm
TEXT_W = PAGE_W - 2 * MARGIN_LR
IND = 720  # 1.27 cm, the UN body indent
DISTR_TAB = 6804  # 12 cm: where "Distr.: ..." and the date stand

FONT = "Times New Roman"


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


def el(tag: str, attrs: dict[str, str] | None = None, *children: ET.Element) -> ET.Element:
    e = ET.Element(w(tag), {w(k): v for k, v in (attrs or {}).items()})
    e.extend(children)
    return e


def rpr(*, size: float | None = None, bold: bool = False, italic: bool = False,
        font: str | None = None) -> ET.Element:
    r = el("rPr")
    if font:
        r.append(el("rFonts", {"ascii": font, "hAnsi": font, "cs": font, "eastAsia": font}))
    if bold:
        r.extend([el("b"), el("bCs")])
    if italic:
        r.extend([el("i"), el("iCs")])
    if size:
        r.extend([el("sz", {"val": str(int(size * 2))}), el("szCs", {"val": str(int(size * 2))})])
    return r


def ppr(*, left: int = 0, right: int = 0, first: int = 0, hanging: int = 0,
        before: int = 0, after: int = 0, line: int | None = 240, jc: str | None = None,
        tabs: list[tuple[str, int]] = (), keep_next: bool = False,
        border: tuple[str, int, int] | None = None) -> ET.Element:
    p = el("pPr")
    if keep_next:
        p.append(el("keepNext"))
    if border:
        side, size, space = border
        p.append(el("pBdr", None, el(side, {"val": "single", "sz": str(size),
                                             "space": str(space), "color": "auto"})))
    if tabs:
        p.append(el("tabs", None, *[el("tab", {"val": v, "pos": str(pos)}) for v, pos in tabs]))
    sp = {"before": str(before), "after": str(after)}
    if line:
        sp.update({"line": str(line), "lineRule": "exact"})
    else:
        sp.update({"line": "240", "lineRule": "auto"})
    p.append(el("spacing", sp))
    ind = {"left": str(left), "right": str(right)}
    if first:
        ind["firstLine"] = str(first)
    if hanging:
        ind["hanging"] = str(hanging)
    p.append(el("ind", ind))
    if jc:
        p.append(el("jc", {"val": jc}))
    return p


def style_id(name: str) -> str:
    return name.replace(" ", "")


def para_style(name: str, p: ET.Element, r: ET.Element | None = None,
               based_on: str = "Normal") -> ET.Element:
    s = el("style", {"type": "paragraph", "customStyle": "1", "styleId": style_id(name)},
           el("name", {"val": name}), el("basedOn", {"val": based_on}), el("qFormat"))
    s.append(p)
    if r is not None:
        s.append(r)
    return s


def char_style(name: str, r: ET.Element) -> ET.Element:
    return el("style", {"type": "character", "customStyle": "1", "styleId": style_id(name)},
              el("name", {"val": name}), el("basedOn", {"val": "DefaultParagraphFont"}),
              el("qFormat"), r)


BODY = dict(left=IND, right=IND, after=120, jc="both")

PARAGRAPH_STYLES: list[tuple[str, ET.Element, ET.Element | None]] = [
    # "United Nations" <tab> symbol, thin rule under it.
    ("UN Masthead", ppr(tabs=[("right", TEXT_W)], line=None, after=0,
                        border=("bottom", 4, 1)), rpr(size=12)),
    # "General Assembly" <tab> Distr.: ... / date / Original: English, thick rule under it.
    ("UN Organ", ppr(tabs=[("left", DISTR_TAB)], line=None, before=40, after=360,
                     border=("bottom", 24, 4)), rpr(size=10)),
    ("UN Session", ppr(right=TEXT_W - DISTR_TAB + 567), None),
    ("UN Agenda Title", ppr(right=TEXT_W - DISTR_TAB + 567, after=0), rpr(bold=True)),
    ("UN Adoption", ppr(left=IND, right=IND, before=360, after=120, line=None),
     rpr(size=12, bold=True)),
    ("UN Report", ppr(left=IND, right=IND, after=240), None),
    ("UN Sponsors", ppr(left=IND, right=IND, before=480, after=240, line=None), rpr(size=10)),
    ("UN Title", ppr(left=IND, right=IND, before=120, after=240, line=None, keep_next=True),
     rpr(size=12, bold=True)),
    ("UN Opening", ppr(first=IND, after=120, **{k: v for k, v in BODY.items() if k != "after"}),
     None),
    ("UN Preambular", ppr(first=IND, **BODY), None),
    ("UN Operative", ppr(first=IND, tabs=[("left", 2 * IND + 480)], **BODY), None),
    ("UN Subparagraph 1", ppr(first=IND + 480, tabs=[("left", 2 * IND + 960)], **BODY), None),
    ("UN Subparagraph 2", ppr(first=IND + 960, tabs=[("left", 2 * IND + 1440)], **BODY), None),
    ("UN Meeting", ppr(left=IND, right=IND, before=240, jc="right"), None),
    # Tracked PDF and HTML only: who made the changes shown, above "The General Assembly,".
    ("UN Legend", ppr(left=IND, right=IND, after=240, line=None, border=("bottom", 4, 4)),
     rpr(size=8.5)),
]

CHARACTER_STYLES = [
    ("UN Symbol", rpr(size=20)),
    ("UN Organ Name", rpr(size=28, bold=True)),
    ("UN Distribution", rpr(size=10)),
    ("UN Change Author", rpr(size=7)),  # "[Egypt]" after a change (tracked PDF)
]


def edit_styles(xml: bytes) -> bytes:
    root = ET.fromstring(xml)
    # Document defaults: Times New Roman 10 pt, no spacing after.
    defaults = root.find(w("docDefaults"))
    rdef = defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
    for child in list(rdef):
        if child.tag in (w("rFonts"), w("sz"), w("szCs")):
            rdef.remove(child)
    rdef.insert(0, el("rFonts", {"ascii": FONT, "hAnsi": FONT, "cs": FONT, "eastAsia": FONT}))
    rdef.insert(1, el("sz", {"val": "20"}))
    rdef.insert(2, el("szCs", {"val": "20"}))
    pdef = defaults.find(f"{w('pPrDefault')}/{w('pPr')}")
    for child in list(pdef):
        pdef.remove(child)
    pdef.append(el("spacing", {"after": "0", "line": "240", "lineRule": "exact"}))

    by_id = {s.get(w("styleId")): s for s in root.findall(w("style"))}
    # Pandoc's own styles that still appear: body text (unstyled paragraphs), footnotes,
    # header and footer. Their colours and theme fonts go; UN sizes come in.
    for sid in ("BodyText", "FirstParagraph", "Compact"):
        s = by_id[sid]
        for child in list(s):
            if child.tag in (w("pPr"), w("rPr")):
                s.remove(child)
        s.append(ppr(**BODY))
    fn = by_id["FootnoteText"]
    fn.append(ppr(left=IND, right=IND, after=40, line=None, jc="both"))
    fn.append(rpr(size=9))
    for sid, s in by_id.items():  # headings etc.: no blue theme colour, no theme font
        for r in s.iter(w("rPr")):
            for child in list(r):
                if child.tag in (w("color"), w("rFonts")):
                    r.remove(child)
    for name, jc in (("Header", "right"), ("Footer", "right")):
        root.append(el("style", {"type": "paragraph", "styleId": name},
                       el("name", {"val": name.lower()}), el("basedOn", {"val": "Normal"}),
                       ppr(line=None, jc=jc, border=("bottom", 4, 1) if name == "Header" else None),
                       rpr(size=8.5, bold=True)))
    for name, p, r in PARAGRAPH_STYLES:
        root.append(para_style(name, p, r))
    for name, r in CHARACTER_STYLES:
        root.append(char_style(name, r))
    return serialize(root)


def header_xml(jc: str, with_symbol: bool) -> bytes:
    root = ET.Element(w("hdr"))
    style = "Header" if with_symbol else "Normal"  # the first page's: empty, no rule
    p = el("p", None, el("pPr", None, el("pStyle", {"val": style}), el("jc", {"val": jc})))
    if with_symbol:
        fld = el("fldSimple", {"instr": r" SUBJECT \* MERGEFORMAT "},
                 el("r", None, el("t", None)))
        fld.find(f"{w('r')}/{w('t')}").text = PLACEHOLDER
        p.append(fld)
    root.append(p)
    return serialize(root)


def _field(instr: str, cached: str) -> ET.Element:
    r = el("r", None, el("t", None))
    r.find(w("t")).text = cached
    return el("fldSimple", {"instr": f" {instr} "}, r)


def _run(text: str, *props: ET.Element) -> ET.Element:
    r = el("r", None, el("rPr", None, *props) if props else el("rPr"), el("t", {"space": "preserve"}))
    r.find(w("t")).text = text
    r.find(w("t")).set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    del r.find(w("t")).attrib[w("space")]
    return r


JOB = "<<ODS JOB NO>>"  # what DGACM's document management fills in, as in Word originals


def footer_xml(jc: str, with_page: bool) -> bytes:
    """Pages 2 on: "2/7" on the outer side, as issued documents number their pages.
    Page one: the job number, the barcode area and "Please recycle" (filled in when the
    document is processed for issue; placeholders until then)."""
    root = ET.Element(w("ftr"))
    if with_page:
        p = el("p", None, el("pPr", None, el("pStyle", {"val": "Footer"}), el("jc", {"val": jc})))
        p.extend([_field("PAGE", "1"), _run("/"), _field("NUMPAGES", "1")])
        root.append(p)
        return serialize(root)
    small = el("sz", {"val": "16"})
    job = el("p", None, el("pPr", None, el("pStyle", {"val": "Normal"}),
                           el("tabs", None, el("tab", {"val": "right", "pos": str(TEXT_W)}))))
    job.extend([_run(JOB, small), el("r", None, el("tab")),
                _run("Please recycle", el("b"), el("sz", {"val": "16"}))])
    barcode = el("p", None, el("pPr", None, el("pStyle", {"val": "Normal"}),
                               el("pBdr", None, *[el(side, {"val": "single", "sz": "4", "space": "1",
                                                            "color": "auto"})
                                                  for side in ("top", "left", "bottom", "right")]),
                               el("ind", {"right": str(TEXT_W - 2835)})))
    barcode.append(_run(f"*{JOB}*", el("sz", {"val": "16"})))
    root.extend([job, barcode])
    return serialize(root)


# part name, relationship type, content type, reference element, its w:type, builder
PARTS = [
    ("header1.xml", REL_HEADER, CT_HEADER, "headerReference", "default",
     lambda: header_xml("right", True)),
    ("header2.xml", REL_HEADER, CT_HEADER, "headerReference", "even",
     lambda: header_xml("left", True)),
    ("header3.xml", REL_HEADER, CT_HEADER, "headerReference", "first",
     lambda: header_xml("left", False)),
    ("footer1.xml", REL_FOOTER, CT_FOOTER, "footerReference", "default",
     lambda: footer_xml("right", True)),
    ("footer2.xml", REL_FOOTER, CT_FOOTER, "footerReference", "even",
     lambda: footer_xml("left", True)),
    ("footer3.xml", REL_FOOTER, CT_FOOTER, "footerReference", "first",
     lambda: footer_xml("left", False)),
]


def edit_document(xml: bytes, rel_ids: list[str]) -> bytes:
    root = ET.fromstring(xml)
    body = root.find(w("body"))
    sect = body.find(w("sectPr"))
    footnote_pr = sect.find(w("footnotePr"))
    for child in list(sect):
        sect.remove(child)
    for (name, _rel, _ct, ref, kind, _build), rid in zip(PARTS, rel_ids):
        sect.append(ET.Element(w(ref), {w("type"): kind, f"{{{R}}}id": rid}))
    if footnote_pr is not None:
        sect.append(footnote_pr)
    sect.append(el("pgSz", {"w": str(PAGE_W), "h": str(PAGE_H)}))
    sect.append(el("pgMar", {"top": "1247", "right": str(MARGIN_LR), "bottom": "1134",
                             "left": str(MARGIN_LR), "header": "680", "footer": "567",
                             "gutter": "0"}))
    sect.append(el("titlePg"))
    return serialize(root)


def edit_settings(xml: bytes) -> bytes:
    root = ET.fromstring(xml)
    tab = root.find(w("defaultTabStop"))
    if tab is not None:
        tab.set(w("val"), "480")
    idx = list(root).index(tab) + 1 if tab is not None else 0
    root.insert(idx, el("evenAndOddHeaders"))
    return serialize(root)


def edit_rels(xml: bytes) -> tuple[bytes, list[str]]:
    root = ET.fromstring(xml)
    ids = []
    for i, (name, rel, *_rest) in enumerate(PARTS):
        rid = f"rIdUN{i + 1}"
        ET.SubElement(root, f"{{{PKG_REL}}}Relationship",
                      {"Id": rid, "Type": rel, "Target": name})
        ids.append(rid)
    return serialize(root), ids


def edit_content_types(xml: bytes) -> bytes:
    root = ET.fromstring(xml)
    for name, _rel, ct, *_rest in PARTS:
        ET.SubElement(root, f"{{{CT}}}Override", {"PartName": f"/word/{name}",
                                                   "ContentType": ct})
    return serialize(root)


def edit_core(xml: bytes) -> bytes:
    root = ET.fromstring(xml)
    for child in list(root):
        if child.tag.endswith("}title") or child.tag.endswith("}creator"):
            child.text = "United Nations"
    return serialize(root)


_NAMESPACES = {
    "w": W, "r": R, "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
    "o": "urn:schemas-microsoft-com:office:office", "v": "urn:schemas-microsoft-com:vml",
    "w10": "urn:schemas-microsoft-com:office:word",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "sl": "http://schemas.openxmlformats.org/schemaLibrary/2006/main",
    "cp": "http://schemas.openxmlformats.org/package/2006/metadata/core-properties",
    "dc": "http://purl.org/dc/elements/1.1/", "dcterms": "http://purl.org/dc/terms/",
    "dcmitype": "http://purl.org/dc/dcmitype/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
for _prefix, _uri in _NAMESPACES.items():
    ET.register_namespace(_prefix, _uri)


def serialize(root: ET.Element) -> bytes:
    uri = root.tag[1:].split("}")[0]
    if uri in (PKG_REL, CT):  # package parts: one namespace, the default one, as OPC has it
        for e in root.iter():
            e.tag = e.tag.split("}")[1]
        root.set("xmlns", uri)
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True)


def default_reference(pandoc: str) -> bytes:
    return subprocess.run([pandoc, "--print-default-data-file", "reference.docx"],
                          check=True, capture_output=True, timeout=60).stdout


def build(pandoc: str) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(default_reference(pandoc)))
    parts = {n: src.read(n) for n in src.namelist()}
    parts["word/_rels/document.xml.rels"], rel_ids = edit_rels(
        parts["word/_rels/document.xml.rels"])
    parts["word/styles.xml"] = edit_styles(parts["word/styles.xml"])
    parts["word/document.xml"] = edit_document(parts["word/document.xml"], rel_ids)
    parts["word/settings.xml"] = edit_settings(parts["word/settings.xml"])
    parts["[Content_Types].xml"] = edit_content_types(parts["[Content_Types].xml"])
    parts["docProps/core.xml"] = edit_core(parts["docProps/core.xml"])
    for name, *_rest, build_part in PARTS:
        parts[f"word/{name}"] = build_part()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        order = ["[Content_Types].xml"] + sorted(n for n in parts if n != "[Content_Types].xml")
        for name in order:  # fixed timestamps: the same input gives the same bytes
            z.writestr(zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0)), parts[name],
                       compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    import pypandoc

    target = Path(argv[0]) if argv else OUT
    target.write_bytes(build(pypandoc.get_pandoc_path()))
    print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
