"""Small pieces of the service: unpacking limits, markdown to HTML, evidence mapping, config, cards."""
from __future__ import annotations

import gzip
import io
import tarfile
import zipfile

import pytest

from bot.chat.access import AccessPolicy
from bot.chat.cards import Vote, answer_card, parse_action
from bot.chat.config import Config, ConfigError
from bot.render.html import to_html
from matchers import Intake, Limits, read_evidence
from matchers.evidence.intake import Combined


def read(name: str, data: bytes, limits: Limits | None = None) -> Intake:
    return read_evidence(files=[(name, data)], limits=limits)


def refused(name: str, data: bytes, limits: Limits | None = None) -> str:
    intake = read(name, data, limits)
    assert not intake.pieces, [p.name for p in intake.pieces]
    return intake.errors[0]


# ---------------------------------------------------------------- unpacking
def tar_bytes(add) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        add(tar)
    return buf.getvalue()


def add_file(tar, name, data: bytes):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def test_tar_members_that_are_links_devices_or_escape_are_skipped():
    def add(tar):
        add_file(tar, "ok.log", b"hello log\n")
        add_file(tar, "/etc/passwd", b"root:x:0:0\n")
        add_file(tar, "a/../../up.txt", b"up\n")
        link = tarfile.TarInfo("link.log")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/shadow"
        tar.addfile(link)
        dev = tarfile.TarInfo("dev")
        dev.type = tarfile.CHRTYPE
        tar.addfile(dev)

    out = read("bundle.tar.gz", gzip.compress(tar_bytes(add)))
    assert [p.name for p in out.pieces] == ["ok.log"]
    reasons = dict(out.archives[0].skipped)
    assert reasons["/etc/passwd"] == "unsafe path" and reasons["a/../../up.txt"] == "unsafe path"
    assert reasons["link.log"] == "not a regular file" and reasons["dev"] == "not a regular file"


def test_zip_bomb_and_gzip_bomb_are_refused_without_unpacking():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("zeros.log", b"0" * (20 * 1024 * 1024))
    assert "decompression bomb" in refused("bomb.zip", buf.getvalue())
    assert "unpacks to more than 1 MB" in refused("bomb.log.gz", gzip.compress(b"a" * (3 * 1024 * 1024)),
                                                  Limits(max_unpacked_bytes=1024 * 1024))


def test_member_count_and_nesting_are_bounded():
    def many(tar):
        for i in range(30):
            add_file(tar, f"f{i}.log", b"x\n")

    assert "more than 10 files" in refused("many.tar", tar_bytes(many), Limits(max_members=10))
    inner = gzip.compress(gzip.compress(gzip.compress(b"deep log\n")))
    assert "nested too deep" in refused("deep.gz", inner, Limits(max_depth=2))
    nested_ok = read("logs.tar.gz", gzip.compress(tar_bytes(lambda t: add_file(t, "rotated.log.gz",
                                                                             gzip.compress(b"rotated\n")))))
    assert [(p.name, p.text) for p in nested_ok.pieces] == [("rotated.log", "rotated\n")]


def test_kinds_and_clear_refusals():
    assert read("notes.txt", "café\n".encode()).pieces[0].text == "café\n"
    assert "cannot read the image photo.jpg" in refused("photo.jpg", b"\xff\xd8\xff" + b"\x00" * 10)
    assert "cannot read report.pdf: I read" in refused("report.pdf", b"%PDF-1.7 ...")
    assert "limit is 1 KB" in refused("big.log", b"x" * 5000, Limits(max_file_bytes=1024))
    assert "not a readable zip" in refused("broken.zip", b"PK\x03\x04garbage")
    assert any(w in refused("cut.log.gz", gzip.compress(b"hello world" * 100)[:30]) for w in ("truncated", "damaged"))
    assert "holds no text log" in refused("shots.zip", _zip({"a.png": b"\x89PNG\r\n\x1a\n"}))


def test_captures_in_archives_are_handed_back_within_the_limits():
    pcap = b"\xd4\xc3\xb2\xa1" + b"\x00" * 100
    found = read("bundle.zip", _zip({"diag/a.pcap": pcap, "diag/noext": pcap, "../b.pcapng": pcap,
                                     "diag/x.log": b"hello\n"}))
    assert [(p.name, p.kind) for p in found.pieces] == [("diag/a.pcap", "capture"), ("diag/noext", "capture"),
                                                         ("diag/x.log", "text")]
    seen = found.archives[0]
    assert seen.skipped == [("../b.pcapng", "unsafe path")] and (seen.texts, seen.captures) == (1, 2)
    assert [p.name for p in read("c.pcap.gz", gzip.compress(pcap)).pieces] == ["c.pcap"]
    assert "unpacks to more than" in refused("big.zip", _zip({"a.log": b"x\n", "a.pcap": pcap * 20}),
                                             Limits(max_unpacked_bytes=1024))
    assert "more than 2 files" in refused("many.zip", _zip({f"{n}.pcap": pcap for n in range(3)}),
                                          Limits(max_members=2))


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_binary_text_file_is_refused():
    assert "binary" in refused("x.log", b"\x00\x01binary\x00" * 50)


# ---------------------------------------------------------------- evidence mapping
def test_combined_lines_map_back_to_their_piece(engine):
    sig = 'Detail="self signed certificate in certificate chain" Dst-port="5062" Event="Inbound TLS Negotiation Error"'
    combined = Combined.of([("message", "why does this fail?\r\nplease help"), ("a.log", "x\n" * 5 + sig)])
    report = combined.relabel(engine.diagnose(combined.text))
    ev = report.diagnoses[0].evidence[0]
    assert ev.line == 6 and ev.quote.startswith("a.log · ")


def test_very_long_lines_are_counted_as_the_engine_wraps_them(engine):
    sig = 'Detail="self signed certificate in certificate chain"'
    combined = Combined.of([("one.log", "y" * 20000), ("two.log", sig)])
    report = combined.relabel(engine.diagnose(combined.text))
    assert (report.diagnoses[0].evidence[0].line, report.diagnoses[0].evidence[0].quote[:9]) == (1, "two.log ·")


# ---------------------------------------------------------------- markdown to HTML
@pytest.mark.parametrize("evil", [
    "<img src=x onerror=alert(1)>",
    "`<script>alert(1)</script>`",
    "[click](javascript:alert(1))",
    '[x](https://ok.example/" onmouseover="alert(1))',
    "**<b>bold</b>**",
    "### <svg onload=alert(1)>",
    "- <iframe src=//evil>",
    "```\n</pre><script>alert(1)</script>\n```",
    "\\<script\\>",
])
def test_markdown_rendering_never_emits_markup_from_input(evil):
    out = to_html(evil)
    for tag in ("<img", "<script", "<svg", "<iframe", "<b>", "onmouseover=\"", "javascript:alert(1)\""):
        assert tag not in out, out
    assert 'href="javascript' not in out


def test_markdown_subset_renders(engine):
    from bot.render.markdown import report_markdown

    md = report_markdown(engine.diagnose('Detail="self signed certificate in certificate chain"'))
    out = to_html(md)
    assert out.startswith("<h3>Diagnosis: ")
    assert "<ol>\n<li>" in out and "<strong>Resolution:</strong>" in out
    assert "<code>" in out


# ---------------------------------------------------------------- config, access, cards
def test_config_from_env():
    c = Config.from_env({"WEBEX_ACCESS_TOKEN": "t", "WEBEX_WEBHOOK_SECRET": "s", "WEBEX_BASE_URL": "http://x/v1",
                         "DATABASE_URL": "postgres://u@h/db", "BOT_ALLOWED_EMAIL_DOMAINS": "A.example, @b.example",
                         "BOT_EVIDENCE_KEY": "k1,k2"})
    assert c.base_url == "http://x/v1/" and c.database_url == "postgresql://u@h/db"
    assert c.allowed_email_domains == {"a.example", "b.example"} and c.evidence_keys == ("k1", "k2")
    local = Config.from_env({})
    assert local.local_mode and local.base_url == "https://webexapis.com/v1/"
    assert local.effective_database_url.startswith("sqlite:///")
    for bad in ({"DATABASE_URL": "mysql://x"}, {"BOT_WORKER_THREADS": "many"}, {"BOT_CASE_URL_TEMPLATE": "https://x"},
                {"WEBEX_BASE_URL": "ftp://x"}, {"BOT_CASE_HISTORY_SCOPE": "world"}):
        with pytest.raises(ConfigError):
            Config.from_env(bad)


def test_config_repr_hides_secrets():
    c = Config(access_token="TOKEN-VALUE", webhook_secret="SECRET-VALUE", evidence_keys=("KEY-VALUE",))
    assert not any(v in repr(c) + str(c) for v in ("TOKEN-VALUE", "SECRET-VALUE", "KEY-VALUE"))


def test_access_policy():
    assert AccessPolicy().allows("p", "x@y.example", "r")
    policy = AccessPolicy(email_domains=frozenset({"cisco.com"}), person_ids=frozenset({"p1"}),
                          room_ids=frozenset({"r1"}))
    assert policy.allows("p9", "Someone@CISCO.com", "r9")
    assert not policy.allows("p9", "someone@cisco.com.evil.example", "r9")
    assert not policy.allows("p9", "", "r9")
    assert policy.allows("p1", "", "r9") and policy.allows("p9", "", "r1")
    assert policy.should_refuse("p9", "r9") and not policy.should_refuse("p9", "r9")
    assert policy.should_refuse("p9", "r8")


def test_card_round_trip(engine):
    report = engine.diagnose('Detail="self signed certificate in certificate chain"')
    d = report.diagnoses[0]
    card = answer_card(report, "ab" * 16)
    assert card["version"] == "1.3" and card["type"] == "AdaptiveCard"
    votes = [parse_action(a["data"]) for a in card["actions"] if a["type"] == "Action.Submit"]
    assert votes == [Vote("ab" * 16, d.entry.id, "up"), Vote("ab" * 16, d.entry.id, "down")]
    data = card["actions"][-1]["data"]
    assert parse_action({"vote": "up"}) is None and parse_action("x") is None
    for forged in ({**data, "diagnosis": "x" * 100}, {**data, "diagnosis": "AB" * 16}, {**data, "vote": "maybe"},
                   {**data, "entry": "Not An Id"}, {**data, "kind": "other"}, {**data, "entry": 7}):
        assert parse_action(forged) is None, forged


def test_concurrent_diagnoses_in_one_process(engine, tmp_path, cipher):
    """Webhook jobs and the local page diagnose from several threads at once."""
    import threading

    from bot.chat.responder import Incoming, Responder
    from bot.chat.storage import Storage

    storage = Storage(f"sqlite:///{tmp_path / 'c.sqlite3'}", cipher)
    responder = Responder(engine, storage, Config(data_dir=tmp_path))
    sample = 'Event="Inbound TLS Negotiation Error" Detail="self signed certificate in certificate chain"\n' * 200
    errors: list[BaseException] = []

    def run(n: int) -> None:
        for i in range(5):
            try:
                out = responder.respond(Incoming(f"m{n}-{i}", "r", "direct", f"m{n}-{i}", "p", sample))
                assert out.report is not None and out.report.diagnoses
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    storage.close()
    assert errors == []
