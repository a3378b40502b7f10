"""The word list's cache: written on first use, read after, rebuilt when damaged."""

from __future__ import annotations

import subprocess
import sys


def _zipf_in_fresh_process(cache_home, word: str) -> float:
    code = f"from penholder.ingest.wordlist import zipf; print(zipf({word!r}))"
    env = {"XDG_CACHE_HOME": str(cache_home), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return float(out.stdout)


def test_the_cache_is_written_then_read_and_agrees_with_wordfreq(tmp_path):
    from wordfreq import zipf_frequency

    first = _zipf_in_fresh_process(tmp_path, "resolution")
    cached = list((tmp_path / "penholder").glob("wordfreq-en-*.marshal"))
    assert len(cached) == 1 and cached[0].stat().st_size > 100_000
    again = _zipf_in_fresh_process(tmp_path, "resolution")
    assert first == again == round(zipf_frequency("resolution", "en"), 2)
    assert _zipf_in_fresh_process(tmp_path, "zzqxj") == 0.0


def test_a_damaged_cache_falls_back_to_wordfreq_and_is_rewritten(tmp_path):
    _zipf_in_fresh_process(tmp_path, "the")
    (cached,) = (tmp_path / "penholder").glob("wordfreq-en-*.marshal")
    cached.write_bytes(b"\x00garbage")
    assert _zipf_in_fresh_process(tmp_path, "recalling") > 3
    assert cached.stat().st_size > 100_000


def test_an_unwritable_cache_directory_still_answers(tmp_path):
    blocked = tmp_path / "file-not-dir"
    blocked.write_text("x")
    assert _zipf_in_fresh_process(blocked, "assembly") > 3
