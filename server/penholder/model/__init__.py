"""The document model of a resolution: pure data, no I/O."""

from penholder.model.resolution import (
    Footnote,
    FootnoteRef,
    Heading,
    Paragraph,
    Proposal,
    ProposalList,
    Resolution,
    Review,
)

__all__ = [
    "Footnote",
    "FootnoteRef",
    "Heading",
    "Paragraph",
    "Proposal",
    "ProposalList",
    "Resolution",
    "Review",
]
