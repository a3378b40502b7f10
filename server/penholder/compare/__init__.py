"""Comparing two versions of a resolution: paragraph alignment, word differences, authors."""

from penholder.compare.changes import (
    Attribute,
    Author,
    Comparison,
    ParagraphChange,
    Segment,
)
from penholder.compare.compare import compare
from penholder.compare.redline import redline
from penholder.compare.words import word_diff

__all__ = [
    "Attribute",
    "Author",
    "Comparison",
    "ParagraphChange",
    "Segment",
    "compare",
    "redline",
    "word_diff",
]
