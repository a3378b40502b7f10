"""Comparing two versions of a resolution: paragraph alignment, word differences, authors."""
