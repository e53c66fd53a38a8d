"""Storage against SQLite and a real PostgreSQL server: exactly-once jobs, leases, cases, feedback, encryption."""
from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.chat.config import ConfigError
from bot.chat.crypto import EvidenceCipher, cipher_for, load_or_create_key_file
from bot.chat.storage import NewDiagnosis, Storage


def new(storage_url, cipher):
    return Storage(storage_url, cipher)


def diagnosis(**kw):
    base = dict(message_id="m1", room_id="r1", room_type="group", thread_id="t1", person_id="p1", source="message",
                outcome="match", results=[{"id": "tls-x", "title": "T", "confidence": 0.9}])
    base.update(kw)
    return NewDiagnosis(**base)


def test_enqueue_is_once_per_id_across_instances(storage_url, cipher):
    a, b = new(storage_url, cipher), new(storage_url, cipher)
    try:
        results: list[bool] = []
        barrier = threading.Barrier(8)

        def race(store):
            barrier.wait()
            results.append(store.enqueue("message:1", "message", {"id": "1"}))

        threads = [threading.Thread(target=race, args=(a if i % 2 else b,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results.count(True) == 1
        assert a.job_counts() == {"pending": 1}
    finally:
        a.close()
        b.close()


def test_only_one_claimant_wins(storage_url, cipher):
    a, b = new(storage_url, cipher), new(storage_url, cipher)
    try:
        a.enqueue("message:2", "message", {"id": "2"}, grace=0)
        won: list[object] = []
        barrier = threading.Barrier(6)

        def race(store, fresh):
            barrier.wait()
            job = store.claim("message:2", lease=60, fresh=fresh)
            if job is not None:
                won.append(job)

        threads = [threading.Thread(target=race, args=(a if i % 2 else b, i < 3)) for i in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(won) == 1
        assert a.claim("message:2", lease=60) is None
    finally:
        a.close()
        b.close()


def test_grace_lease_takeover_and_owner_checks(storage_url, cipher):
    s = new(storage_url, cipher)
    try:
        now = time.time()
        s.enqueue("j", "message", {"id": "j"}, grace=30, now=now)
        assert s.claimable(now=now) == []                 # the receiving instance has priority
        assert s.claimable(now=now + 31) == ["j"]         # after the grace period anyone may take it
        job = s.claim("j", lease=10, now=now + 31)
        assert job is not None and job.attempts == 1
        assert s.claimable(now=now + 35) == []
        assert s.claimable(now=now + 42) == ["j"]         # the worker died: its lease ran out
        taken = s.claim("j", lease=10, now=now + 42)
        assert taken is not None and taken.attempts == 2
        job.progress["posted"] = 1
        assert not s.save_progress(job, 10)              # the old owner can no longer write
        assert not s.finish(job)
        taken.progress["posted"] = 1
        assert s.save_progress(taken, 10)
        assert s.reschedule(taken, 0, "503")
        again = s.claim("j", lease=10)
        assert again is not None and again.progress == {"posted": 1}
        assert s.finish(again, "done")
        assert s.job_status("j")["status"] == "done"
        assert s.claimable(now=time.time() + 10_000) == []
        assert s.purge_jobs(older_than=-1) == 1
    finally:
        s.close()


def test_diagnoses_cases_threads_and_feedback(storage_url, cipher):
    s = new(storage_url, cipher)
    try:
        d1 = s.record_diagnosis(diagnosis(evidence="secret log line", cases=["694123456", "694123456"]))
        d2 = s.record_diagnosis(diagnosis(message_id="m2", evidence="not kept without a case"))
        s.add_thread_cases("r1", "t1", ["694123456", "694000001"])
        s.add_thread_cases("r1", "t1", ["694123456"])
        assert sorted(s.thread_cases("r1", "t1")) == ["694000001", "694123456"]
        s.record_feedback(d1, "p1", "tls-x", "down", "a1")
        s.record_feedback(d1, "p1", "tls-x", "up", "a2")
        s.record_feedback(d1, "p2", "tls-x", "up", "a3")
        history = s.case_history("694123456")
        assert [h.id for h in history] == [d1]
        assert history[0].evidence == "secret log line" and history[0].feedback == {"up": 2}
        assert s.get_diagnosis(d2).evidence is None
        assert s.table_counts() == {"jobs": 0, "diagnoses": 2, "case_links": 1, "thread_cases": 2, "feedback": 2,
                                  "greeted_rooms": 0, "thread_evidence": 0}
        with pytest.raises(ValueError):
            s.record_feedback(d1, "p1", "tls-x", "meh", "a4")
    finally:
        s.close()


def test_evidence_needs_the_key_and_rotation_keeps_old_rows_readable(storage_url):
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    s = Storage(storage_url, EvidenceCipher([old_key]))
    d = s.record_diagnosis(diagnosis(evidence="kept", cases=["694123456"]))
    s.close()
    rotated = Storage(storage_url, EvidenceCipher([new_key, old_key]))
    assert rotated.get_diagnosis(d).evidence == "kept"
    rotated.close()
    wrong = Storage(storage_url, EvidenceCipher([new_key]))
    assert wrong.get_diagnosis(d).evidence is None  # unreadable, never garbage
    wrong.close()


def test_schema_creation_is_safe_when_instances_start_together(storage_url, cipher):
    stores: list[Storage] = []
    errors: list[BaseException] = []

    def start():
        try:
            stores.append(Storage(storage_url, cipher))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for s in stores:
        s.close()
    assert errors == [] and len(stores) == 4


def test_key_file_is_generated_once_with_private_mode(tmp_path: Path):
    keys: list[str] = []
    threads = [threading.Thread(target=lambda: keys.append(load_or_create_key_file(tmp_path / "var")))
               for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(keys)) == 1
    assert os.stat(tmp_path / "var" / "evidence.key").st_mode & 0o777 == 0o600
    EvidenceCipher(keys[:1]).decrypt(EvidenceCipher(keys[:1]).encrypt("x"))


def test_shared_database_requires_a_key(tmp_path: Path):
    with pytest.raises(ConfigError, match="BOT_EVIDENCE_KEY is required"):
        cipher_for((), tmp_path, shared_database=True)
    with pytest.raises(ConfigError, match="not a valid Fernet key"):
        EvidenceCipher(["not-a-key"])
    assert not (tmp_path / "evidence.key").exists()
