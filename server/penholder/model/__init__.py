"""The document model of a resolution: pure data, no I/O."""

from penholder.model.resolution import (
    Footnote,
    FootnoteRef,
    Heading,
    ImportReview,
    Paragraph,
    Proposal,
    ProposalList,
    Resolution,
)

__all__ = [
    "Footnote",
    "FootnoteRef",
    "Heading",
    "ImportReview",
    "Paragraph",
    "Proposal",
    "ProposalList",
    "Resolution",
]
