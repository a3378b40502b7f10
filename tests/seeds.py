"""Where the captured prior resolutions live, for the tests."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DRAFTS = ROOT / "drafts"
DATA = Path(__file__).resolve().parent / "data"

RES_79_53 = DRAFTS / "A_RES_79_53.txt"  # PDF text, one paragraph a line, superscript marks
RES_75_59 = DRAFTS / "A_RES_75_59.txt"  # PDF text, hard-wrapped, bare-digit marks
RES_71_72 = DRAFTS / "A_RES_71_72.txt"  # Word export, footnotes at the end, ODS residue
RES_78_70 = DRAFTS / "A_RES_78_70.md"   # Markdown, <sup> marks, subparagraphs
PROPOSALS = DATA / "proposals_79_53.txt"  # a delegation's list of twenty proposals

ALL = [RES_79_53, RES_75_59, RES_71_72, RES_78_70]


def empty_draft(engine) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    """A draft with no text yet and a delegate of Egypt: (draft id, user id, delegation id)."""
    from sqlalchemy.orm import Session

    from penholder.store import create_draft
    from penholder.store.tables import Delegation, User

    with Session(engine) as db, db.begin():
        d = Delegation(name="Egypt")
        db.add(d)
        db.flush()
        user = User(name="a", kind="delegate", delegation_id=d.id)
        db.add(user)
        db.flush()
        return create_draft(db, title="t", session=81, created_by=user.id).id, user.id, d.id
