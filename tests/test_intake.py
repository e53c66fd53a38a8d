"""Files through the one intake the CLI, the Webex bot and the local page use, and through the CLI."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.ocr import image_to_text
from bot.render.evidence import evidence_markdown, evidence_text
from matchers.evidence.archives import EvidenceError
from matchers.evidence.intake import from_text, read_file, sniff
from tests.evidence_builders import (
    ACK,
    FIN,
    UNTRUSTED,
    Capture,
    Conversation,
    alert,
    client_hello,
    diagnose_file,
    factory_certificate,
    public_chain,
    screenshot,
    server_hello_certificate,
    tesseract_installed,
)

ROOT = Path(__file__).resolve().parent.parent
CERT_UNKNOWN_LOG = ('Event="Inbound TLS Negotiation Error" Service="SIP" Src-ip="203.0.113.45" Dst-port="5062" '
                    'Detail="sslv3 alert certificate unknown" Protocol="TLS"')


def leaf_only_capture() -> bytes:
    cap = Capture()
    conv = Conversation(cap, "203.0.113.45", "198.51.100.80", 41004, 5062)
    conv.handshake()
    conv.send(True, client_hello())
    conv.send(False, server_hello_certificate([public_chain()[2]]))
    conv.send(True, alert(46))
    conv.close(True, FIN | ACK)
    return cap.bytes()


def run_cli(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "bot", *args], capture_output=True, cwd=ROOT, timeout=120,
                          check=False)


def test_files_are_routed_by_content_then_name():
    _, _, leaf = public_chain()
    assert sniff("x.bin", leaf_only_capture()) == "capture"
    assert sniff("x", b"\x89PNG\r\n\x1a\n....") == "image"
    assert sniff("screen.JPG", b"\xff\xd8\xff\xe0....") == "image"
    assert sniff("expe.cer", leaf.der) == "certificate"
    assert sniff("noname", leaf.der) == "certificate"
    assert sniff("expe.crt", leaf.pem.encode()) == "certificate"
    assert sniff("paste.txt", b"hello") == "text"
    assert sniff("notes", b"Detail=x") == "text"
    assert sniff("c.pcapng", b"\x0a\x0d\x0d\x0a") == "capture"
    assert sniff("bundle.tgz", b"\x1f\x8b\x08") == "archive"
    assert sniff("logs.tar.gz", b"not gzip at all") == "unsupported"


def test_der_certificate_file_gets_checks_and_diagnosis(engine):
    _, leaf = factory_certificate()
    report, notes = diagnose_file(engine, "expe.der", leaf.der)
    assert report.diagnoses[0].entry.id == "tls-expe-default-selfsigned-cert"
    assert "**Certificate checks** (`expe.der`, 1 certificate(s))" in notes[0]
    assert "❌ fail · issuer: Expressway factory certificate" in notes[0]


def test_message_with_log_line_and_attached_capture_gives_one_answer(engine):
    pieces = [from_text("message", f"inbound calls fail\n{CERT_UNKNOWN_LOG}"),
              read_file("expe-5062.pcap", leaf_only_capture())]
    report = engine.diagnose_pieces(pieces)
    top = report.diagnoses[0]
    assert top.entry.id == "tls-expe-incomplete-cert-chain"
    leaf = next(e for e in top.evidence if e.signal == "leaf_only")
    assert leaf.quote.startswith("expe-5062.pcap · ")
    assert "certificates=1" in leaf.quote
    assert pieces[1].text.split("\n")[leaf.line - 1].strip() in leaf.quote   # numbered within the capture


def test_capture_summary_renders_for_the_reply_and_the_terminal():
    piece = read_file("c.pcap", leaf_only_capture())
    shown = evidence_markdown(piece)
    assert shown.startswith("**Packet capture** `c.pcap`: ")
    assert "Alert (Level: Fatal, Description: Certificate Unknown)" in shown
    assert "```" in shown
    assert "Stream 1: client=203.0.113.45:41004 (Webex)" in evidence_text(piece)


def test_unreadable_evidence_says_why(engine):
    with pytest.raises(EvidenceError, match="cannot read the capture"):
        read_file("x.pcap", b"\xd4\xc3\xb2\xa1\x00")
    with pytest.raises(EvidenceError, match="cannot read the certificate"):
        read_file("x.pem", b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n")
    report, notes = diagnose_file(engine, "x.der", b"\x30\x03\x02\x01\x00")
    assert report.outcome == "unreadable" and "certificate" in report.message and notes == []


def test_cli_answers_certificate_screenshot_and_capture_with_the_jsonl_contract(tmp_path):
    root, inter, leaf = public_chain()
    cert = tmp_path / "cert.pem"
    cert.write_text(leaf.pem + root.pem)
    capture = tmp_path / "capture.pcap"
    capture.write_bytes(leaf_only_capture())
    shot = tmp_path / "shot.png"
    shot.write_bytes(screenshot(UNTRUSTED, "DejaVuSans.ttf", 16, False, False)
                     if (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").exists()) else b"\x89PNG\r\n\x1a\n")
    proc = run_cli("diagnose", "--format", "jsonl", str(cert), str(shot), str(capture))
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = [json.loads(line) for line in proc.stdout.decode().splitlines()]
    assert [r["source"] for r in rows] == [str(cert), str(shot), str(capture)]
    for row in rows:
        assert {"source", "matches", "outcome", "message", "evidence_kinds"} <= set(row)
    assert rows[0]["evidence_type"] == "certificate"
    assert any(c["name"] == "chain" and c["passed"] is False for c in rows[0]["checks"])
    assert rows[2]["evidence_type"] == "capture" and rows[2]["capture"]["streams"] == 1
    assert rows[2]["matches"][0]["id"] == "tls-expe-incomplete-cert-chain"
    if tesseract_installed():
        assert rows[1]["read_from_image"] is True
        assert rows[1]["matches"][0]["id"] == "tls-expe-untrusted-webex-ca"
    else:
        assert rows[1]["outcome"] == "unreadable" and "image reading is unavailable" in rows[1]["message"]


def test_cli_markdown_shows_checks_above_the_diagnosis(tmp_path):
    _, leaf = factory_certificate()
    cert = tmp_path / "expe.pem"
    cert.write_text(leaf.pem)
    out = run_cli("diagnose", "--format", "markdown", str(cert)).stdout.decode()
    assert out.index("**Certificate checks**") < out.index("### Diagnosis: Expressway-E still presents")
    text = run_cli("diagnose", str(cert)).stdout.decode()
    assert "FAIL issuer: Expressway factory certificate" in text


def test_cli_reads_a_diagnostic_bundle_like_the_bot(tmp_path):
    import io
    import tarfile

    log = ('2024-05-02T10:18:40.101+00:00 expe tvcs: Event="Inbound TLS Negotiation Error" Service="SIP" '
           'Src-ip="203.0.113.45" Dst-port="5062" Detail="self signed certificate in certificate chain" Protocol="TLS"')
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, data in (("diagnostic_log/loggingsnapshot_expe.txt", log.encode()),
                           ("diagnostic_log/expe-5062.pcap", leaf_only_capture())):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    bundle = tmp_path / "diagnostic_log_expe.tar.gz"
    bundle.write_bytes(buffer.getvalue())
    proc = run_cli("diagnose", "--format", "jsonl", str(bundle))
    assert proc.returncode == 0, proc.stderr[-2000:]
    row = json.loads(proc.stdout)
    assert row["outcome"] == "match"
    assert row["evidence_type"] == "archive" and len(row["members"]) == 2
    ids = [m["id"] for m in row["matches"]]
    assert "tls-expe-untrusted-webex-ca" in ids
    quotes = [e["quote"] for m in row["matches"] for e in m["evidence"]]
    assert any(q.startswith("diagnostic_log/loggingsnapshot_expe.txt · ") for q in quotes)


def test_an_image_without_an_ocr_reader_is_refused_politely():
    with pytest.raises(EvidenceError, match="image reading is not available"):
        read_file("shot.png", b"\x89PNG\r\n\x1a\n....")
    assert read_file("shot.png", b"\x89PNG\r\n\x1a\n....", image_reader=lambda data: "Detail=x").read_from_image
    assert image_to_text is not None
