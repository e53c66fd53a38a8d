"""The command line as other tools use it: the jsonl contract, formats, bad input."""
from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SELF_SIGNED = (
    'Event="Inbound TLS Negotiation Error" Service="SIP" Src-ip="203.0.113.8" Src-port="41000" '
    'Dst-ip="198.51.100.3" Dst-port="5062" Detail="self signed certificate in certificate chain" Protocol="TLS"\n'
)


def run_cli(*args: str, stdin: bytes | None = None, timeout: float = 60) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True,
                          cwd=ROOT, timeout=timeout, check=False)


def test_jsonl_gives_one_object_per_input_in_order(tmp_path):
    hit = tmp_path / "hit.txt"
    hit.write_text(SELF_SIGNED)
    miss = tmp_path / "miss.txt"
    miss.write_text("thanks, all good now, have a nice weekend\n")
    proc = run_cli("diagnose", "--format", "jsonl", str(hit), str(miss))
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["source"] for r in rows] == [str(hit), str(miss)]
    assert rows[0]["matches"][0]["id"] == "tls-expe-untrusted-webex-ca"
    first = rows[0]["matches"][0]
    assert {"id", "title", "confidence", "evidence"} <= set(first)
    assert 0 < first["confidence"] <= 1
    assert first["evidence"][0]["line"] == 1
    assert "self signed certificate" in first["evidence"][0]["quote"]
    assert rows[1]["matches"] == []


def test_standard_input_is_read_when_no_file_is_given():
    proc = run_cli("diagnose", "--format", "jsonl", stdin=SELF_SIGNED.encode())
    row = json.loads(proc.stdout)
    assert row["source"] == "-"
    assert row["matches"][0]["id"] == "tls-expe-untrusted-webex-ca"


def test_markdown_reply_has_title_steps_and_evidence():
    proc = run_cli("diagnose", "--format", "markdown", stdin=SELF_SIGNED.encode())
    text = proc.stdout.decode()
    assert "### Diagnosis: Expressway-E does not trust" in text
    assert "Cloud Certificate Management" in text
    assert "1. " in text
    assert "self signed certificate in certificate chain" in text


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "empty"),
        (b"   \n\n  \t\n", "empty"),
        (b"\x00\x01\x02binary\x00\x00" * 100, "unreadable"),
        (gzip.compress(b"hello" * 1000), "no_match"),   # an archive is unpacked and its text read
        (b"%PDF-1.7 binary document", "unreadable"),
        (b"caf\xe9 \xff\xfe invalid utf-8 but still text\n", "no_match"),
    ],
)
def test_bad_input_gets_a_clear_outcome_not_a_traceback(tmp_path, content, expected):
    path = tmp_path / "input.bin"
    path.write_bytes(content)
    proc = run_cli("diagnose", "--format", "jsonl", str(path))
    assert b"Traceback" not in proc.stderr
    row = json.loads(proc.stdout)
    assert row["outcome"] == expected
    assert row["matches"] == []
    if expected in {"empty", "unreadable"}:
        assert row["message"]


def test_missing_file_is_reported_in_the_record(tmp_path):
    proc = run_cli("diagnose", "--format", "jsonl", str(tmp_path / "nope.txt"))
    row = json.loads(proc.stdout)
    assert row["outcome"] == "unreadable"
    assert "cannot read" in row["message"]


def test_huge_single_line_and_many_lines_finish_with_an_answer(tmp_path):
    one_line = tmp_path / "one-line.txt"
    one_line.write_text("x" * 5_000_000 + ' Detail="self signed certificate in certificate chain"')
    many = tmp_path / "many.txt"
    many.write_text("2024-01-01T00:00:00 host tvcs: Module=\"network.tcp\" Detail=\"noise\"\n" * 100_000 + SELF_SIGNED)
    proc = run_cli("diagnose", "--format", "jsonl", str(one_line), str(many), timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert rows[0]["matches"][0]["id"] == "tls-expe-untrusted-webex-ca"
    assert rows[1]["matches"][0]["id"] == "tls-expe-untrusted-webex-ca"
    assert rows[1]["matches"][0]["evidence"][0]["line"] == 100_001


def test_fifty_megabyte_file_is_diagnosed(tmp_path):
    big = tmp_path / "big.log"
    line = b'2024-01-01T00:00:00 host tvcs: Module="network.sip" Level="DEBUG" Detail="routine message"\n'
    with open(big, "wb") as fh:
        fh.write(line * (50_000_000 // len(line)))
        fh.write(SELF_SIGNED.encode())
    proc = run_cli("diagnose", "--format", "jsonl", str(big), timeout=180)
    row = json.loads(proc.stdout)
    assert row["matches"][0]["id"] == "tls-expe-untrusted-webex-ca"


def test_kb_list_and_explain():
    listing = run_cli("kb", "list").stdout.decode()
    assert len(listing.splitlines()) >= 30
    assert "tls-expe-untrusted-webex-ca" in listing
    explained = run_cli("explain", "tls-expe-untrusted-webex-ca")
    assert explained.returncode == 0
    assert "Cloud Certificate Management" in explained.stdout.decode()
    code = run_cli("explain", "603")
    assert code.returncode == 0
    assert "bi-cucm-max-incoming-msg-size" in code.stdout.decode()
    unknown = run_cli("explain", "no-such-entry")
    assert unknown.returncode == 2
    assert b"unknown topic" in unknown.stderr


def test_broken_pipe_is_quiet(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(SELF_SIGNED)
    proc = subprocess.run(f"{sys.executable} -m bot diagnose {path} {path} {path} | head -c 10", shell=True,
                          capture_output=True, cwd=ROOT, timeout=60, env=os.environ.copy(), check=False)
    assert b"Traceback" not in proc.stderr
