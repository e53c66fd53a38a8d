"""The call view where it shows: the CLI (`diagnose --pictures`, the jsonl calls, `calls`), and the shared
helpers of bot/render/calls.py."""
from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from bot.cli.main import main
from bot.render.calls import call_line, call_views, drawn
from matchers import read_evidence
from tests.call_logs import Log, Site, inbound


def log_text(*rejects: bool) -> str:
    log = Log()
    for n, reject in enumerate(rejects):
        inbound(log, Site(), n * 2.0, 400 + n, reject_at_c=reject)
    return "\n".join(log.lines()) + "\n"


def write_log(tmp_path: Path, *rejects: bool, name: str = "expe.log") -> Path:
    path = tmp_path / name
    path.write_text(log_text(*rejects))
    return path


def test_views_list_every_call_and_draw_only_the_failing_ones():
    intake = read_evidence(files=[("expe.log", log_text(False, True, False, True).encode())])
    views = call_views(intake.pieces)
    assert [v.call.failed for v in views] == [False, True, False, True]
    assert [v.call for v in drawn(views)] == [views[1].call, views[3].call]
    assert "404 Not Found" in call_line(views[1]) and "sip:wuser401@" in call_line(views[1])


def test_a_message_and_a_file_keep_the_calls_and_their_diagnosis(tmp_path):
    from matchers import default_engine

    intake = read_evidence("why do inbound calls fail?", [("expe.log", log_text(True).encode())])
    report = default_engine().diagnose_pieces(intake.pieces)
    views = call_views(intake.pieces, report)
    assert len(views) == 1 and views[0].diagnosis_id == report.diagnoses[0].entry.id


def test_diagnose_pictures_and_jsonl_calls(tmp_path, capsys):
    path = write_log(tmp_path, False, True, False)
    out = tmp_path / "pics"
    assert main(["diagnose", "--format", "jsonl", "--pictures", str(out), str(path)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert [c["final_response"] for c in record["calls"]] == ["200 OK", "404 Not Found", "200 OK"]
    first = record["calls"][0]
    assert {"call_id", "direction", "parties", "messages", "final_response", "ended_at"} <= set(first)
    assert first["direction"] == "inbound" and first["messages"][0]["label"] == "INVITE"
    assert record["calls"][1]["diagnosis"] == record["matches"][0]["id"] and record["calls"][0]["diagnosis"] is None
    assert len(record["pictures"]) == 1 and Path(record["pictures"][0]).parent == out
    with Image.open(record["pictures"][0]) as image:
        assert image.format == "PNG" and image.size[0] >= 800


def test_diagnose_without_failing_calls_writes_no_picture(tmp_path, capsys):
    path = write_log(tmp_path, False)
    assert main(["diagnose", "--format", "jsonl", "--pictures", str(tmp_path / "p"), str(path)]) == 0
    record = json.loads(capsys.readouterr().out)
    assert len(record["calls"]) == 1 and record["pictures"] == []


def test_diagnose_text_names_the_pictures_and_jsonl_without_calls_is_empty_list(tmp_path, capsys):
    path = write_log(tmp_path, True)
    assert main(["diagnose", "--pictures", str(tmp_path / "p"), str(path)]) == 0
    assert "picture: " + str(tmp_path / "p") in capsys.readouterr().out
    plain = tmp_path / "note.txt"
    plain.write_text("why 603 decline\n")
    assert main(["diagnose", "--format", "jsonl", str(plain)]) == 0
    assert json.loads(capsys.readouterr().out)["calls"] == []


def test_pictures_into_a_file_path_is_an_error_not_a_traceback(tmp_path, capsys):
    path = write_log(tmp_path, True)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main(["diagnose", "--format", "jsonl", "--pictures", str(blocker), str(path)]) == 0
    captured = capsys.readouterr()
    assert json.loads(captured.out)["pictures"] == [] and "cannot write pictures" in captured.err


def test_calls_command_one_line_per_call(tmp_path, capsys):
    path = write_log(tmp_path, False, True)
    assert main(["calls", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "2 call(s), 1 failing"
    assert lines[1].endswith("200 OK") and "→ sip:desk400@fabrikam.example" in lines[1]
    assert "404 Not Found  [" in lines[2]


def test_calls_command_bad_input(tmp_path, capsys):
    assert main(["calls", str(tmp_path / "missing.log")]) == 1
    assert "cannot read" in capsys.readouterr().err
    junk = tmp_path / "junk.log"
    junk.write_bytes(b"hello\nnothing here\n")
    assert main(["calls", str(junk)]) == 0
    assert capsys.readouterr().out.strip() == "no calls found"
    pcap = tmp_path / "broken.pcap"
    pcap.write_bytes(b"\xd4\xc3\xb2\xa1" + b"\x00" * 10)
    main(["calls", str(pcap)])


def test_calls_from_a_packet_capture_file(tmp_path, capsys):
    import io as _io

    import dpkt

    from tests.test_calls import _sip, _udp_frame

    ucm, expc = ("192.0.2.50", 5060), ("192.0.2.11", 5060)
    frames = [(ucm, expc, _sip("INVITE sip:mpatel@fabrikam.calls.webex.com SIP/2.0", "101 INVITE")),
              (expc, ucm, _sip("SIP/2.0 404 Not Found", "101 INVITE",
                               'Warning: 399 192.0.2.10:7003 "Policy Response"')),
              (ucm, expc, _sip("ACK sip:mpatel@fabrikam.calls.webex.com SIP/2.0", "101 ACK"))]
    out = _io.BytesIO()
    writer = dpkt.pcap.Writer(out)
    for k, (src, dst, payload) in enumerate(frames):
        writer.writepkt(_udp_frame(src, dst, payload), ts=1718107327.1 + k * 0.05)
    path = tmp_path / "expc.pcap"
    path.write_bytes(out.getvalue())
    assert main(["calls", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "1 call(s), 1 failing" and "sip:mpatel@fabrikam.calls.webex.com  404 Not Found" in lines[1]
    assert main(["diagnose", "--format", "jsonl", "--pictures", str(tmp_path / "p"), str(path)]) == 0
    assert len(json.loads(capsys.readouterr().out)["pictures"]) == 1
