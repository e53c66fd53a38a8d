"""Load benchmark: signed webhooks at a gunicorn-served bot that talks to the fake Webex API.

    .venv/bin/python benchmarks/load_webhooks.py                      # 50 webhooks/s for 60 s, SQLite
    .venv/bin/python benchmarks/load_webhooks.py --rate 20 --duration 10
    .venv/bin/python benchmarks/load_webhooks.py --database-url postgresql://bot@127.0.0.1:5432/postgres

Everything runs on loopback: the fake Webex API (tests/fake_webex.py) in its own process, the bot under gunicorn
(the Procfile's command, several workers), and this process sending the webhooks on an open-loop schedule (a
slow acknowledgement does not slow the sender). A share of the webhooks is delivered twice, as Webex may.
Reports acknowledgement latency (p50/p90/p99/max), replies posted, duplicates (a message answered twice) and
losses (a message never answered). It is a script, not a timed test: the numbers go in docs/benchmarks.md.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.chat.signature import sign  # noqa: E402

TOKEN = "load-test-token"
SECRET = "load-test-webhook-secret"
KEY = "q0H1xu2oFJ6sL9k5PZ8D1zMRx3G6q0H1xu2oFJ6sL9k="


def texts() -> list[str]:
    """What users send: the sample paste, single log lines, questions, commands, chatter, a case number."""
    sample = (ROOT / "samples" / "inbound-tls-failure.txt").read_text()
    return [
        sample,
        'Event="Inbound TLS Negotiation Error" Dst-port="5062" Detail="self signed certificate in certificate chain"',
        "why 603 decline",
        "SR 694123456 inbound calls fail\n" + sample,
        "help",
        "thanks, all good now",
        "explain 603",
        "Calls from Cisco Webex to our desk phones fail, Expressway-E log shows no inbound TLS at all on 5062",
    ]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(url, timeout=2).status_code < 500:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--rate", type=float, default=50.0, help="webhooks per second (default 50)")
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    ap.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    ap.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker (default 8)")
    ap.add_argument("--job-threads", type=int, default=4, help="background job threads per worker (default 4)")
    ap.add_argument("--redeliver", type=float, default=0.1, help="share of webhooks delivered twice (default 0.1)")
    ap.add_argument("--database-url", default="", help="PostgreSQL URL; default: SQLite in a temporary directory")
    ap.add_argument("--settle", type=float, default=180.0, help="seconds to wait for the last replies")
    ap.add_argument("--faults", action="store_true",
                    help="make the fake API fail along the way: every 25th reply gets 503, every 40th a 429 "
                         "with Retry-After 1, every 30th message read a 502")
    ap.add_argument("--json", action="store_true", help="print the result as JSON too")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="hcs-load-"))
    procs: list[subprocess.Popen[bytes]] = []
    try:
        fake = subprocess.Popen([sys.executable, str(ROOT / "tests" / "fake_webex.py"), "--token", TOKEN],
                                stdout=subprocess.PIPE, cwd=ROOT)
        procs.append(fake)
        assert fake.stdout is not None
        info = json.loads(fake.stdout.readline())
        api = f"http://127.0.0.1:{info['port']}"
        setup = requests.post(f"{api}/_fake/setup", json={"type": "direct"}, timeout=10).json()
        total = int(args.rate * args.duration)
        ids = requests.post(f"{api}/_fake/seed", json={"personId": setup["personId"], "roomId": setup["roomId"],
                                                       "texts": texts(), "count": total}, timeout=120).json()["ids"]

        if args.faults:
            for fault in ({"method": "POST", "path": "^messages$", "status": 503, "every": 25},
                          {"method": "POST", "path": "^messages$", "status": 429, "retryAfter": 1, "every": 40},
                          {"method": "GET", "path": "^messages/", "status": 502, "every": 30}):
                requests.post(f"{api}/_fake/fail", json={**fault, "times": 100_000}, timeout=10)
        port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith(("WEBEX_", "BOT_", "DATABASE_URL"))}
        env.update(WEBEX_ACCESS_TOKEN=TOKEN, WEBEX_WEBHOOK_SECRET=SECRET, WEBEX_BASE_URL=f"{api}/v1/",
                   BOT_DATA_DIR=str(tmp / "var"), BOT_EVIDENCE_KEY=KEY, BOT_WORKER_THREADS=str(args.job_threads),
                   BOT_LOG_LEVEL="WARNING")
        if args.database_url:
            env["DATABASE_URL"] = args.database_url
        gunicorn = [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(args.workers),
                    "--worker-class", "gthread", "--threads", str(args.threads), "--bind", f"127.0.0.1:{port}",
                    "--log-level", "warning", "bot.web.app:create_app()"]
        server = subprocess.Popen(gunicorn, cwd=ROOT, env=env)
        procs.append(server)
        base = f"http://127.0.0.1:{port}"
        wait_http(f"{base}/healthz")
        for _ in range(args.workers * 4):  # every worker has loaded its engine
            requests.get(f"{base}/healthz", timeout=10)

        deliveries: list[tuple[float, str]] = []
        t0 = time.monotonic() + 0.5
        rng = random.Random(7)
        for i, mid in enumerate(ids):
            at = t0 + i / args.rate
            deliveries.append((at, mid))
            if rng.random() < args.redeliver:
                deliveries.append((at + rng.uniform(0.05, 2.0), mid))
        deliveries.sort()

        latencies: list[float] = []
        statuses: dict[str, int] = {}
        lock = threading.Lock()
        local = threading.local()

        def send(at: float, mid: str) -> None:
            session = getattr(local, "session", None)
            if session is None:
                session = local.session = requests.Session()
            payload = {"id": "wh", "name": "load", "resource": "messages", "event": "created",
                       "data": {"id": mid, "roomId": setup["roomId"], "roomType": "direct",
                                "personId": setup["personId"], "personEmail": "tester@example.com"}}
            body = json.dumps(payload).encode()
            delay = at - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            headers = {"Content-Type": "application/json", "X-Spark-Signature": sign(body, SECRET)}
            start = time.perf_counter()
            try:
                resp = session.post(f"{base}/webhooks/messages", data=body, timeout=30, headers=headers)
                status = f"{resp.status_code} {resp.json().get('status')}"
            except requests.RequestException as exc:
                status = type(exc).__name__
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1

        print(f"sending {len(deliveries)} webhooks ({total} messages, {len(deliveries) - total} redelivered) "
              f"at {args.rate:g}/s for {args.duration:g} s to {args.workers} gunicorn workers...", flush=True)
        with ThreadPoolExecutor(max_workers=64) as pool:
            for at, mid in deliveries:
                while at - time.monotonic() > 1.0:  # keep the queue short so the schedule stays open-loop
                    time.sleep(0.2)
                pool.submit(send, at, mid)
        load_end = time.monotonic()

        expected = set(ids)
        deadline = time.monotonic() + args.settle
        replies: dict[str, list[str]] = {}
        last, stable = -1, 0
        while time.monotonic() < deadline:
            replies = requests.get(f"{api}/_fake/replies", timeout=30).json()
            answered = len(expected & set(replies))
            count = sum(len(v) for v in replies.values())
            if answered == len(expected) and count == last:
                stable += 1
                if stable >= 3:
                    break
            else:
                stable = 0
            last = count
            time.sleep(1.0)
        drained = time.monotonic() - load_end

        duplicates = sum(1 for mid in expected
                         if len(replies.get(mid, [])) != len(set(replies.get(mid, []))))
        losses = sum(1 for mid in expected if mid not in replies)
        posted = sum(len(replies.get(mid, [])) for mid in expected)
        calls = requests.get(f"{api}/_fake/stats", timeout=10).json()["calls"]
        result = {
            "rate": args.rate, "duration_s": args.duration, "workers": args.workers, "threads": args.threads,
            "database": "postgresql" if args.database_url else "sqlite", "faults": args.faults,
            "webhooks_sent": len(deliveries), "messages": total,
            "ack_ms": {"p50": round(percentile(latencies, 50) * 1000, 1),
                       "p90": round(percentile(latencies, 90) * 1000, 1),
                       "p99": round(percentile(latencies, 99) * 1000, 1),
                       "max": round(max(latencies) * 1000, 1),
                       "mean": round(statistics.mean(latencies) * 1000, 1)},
            "statuses": statuses,
            "messages_answered": total - losses, "bot_messages_posted": posted,
            "duplicates": duplicates, "losses": losses,
            "last_reply_after_load_s": round(drained, 1), "api_calls": calls,
        }
        a = result["ack_ms"]
        print(f"ack latency ms: p50 {a['p50']}  p90 {a['p90']}  p99 {a['p99']}  max {a['max']}")
        print(f"webhook answers: {statuses}; Webex API calls: {calls}")
        print(f"messages answered {total - losses}/{total}; bot messages posted {posted}; "
              f"duplicates {duplicates}; losses {losses}; all replies in {drained:.1f} s after the load ended")
        if args.json:
            print(json.dumps(result))
        ok = a["p99"] < 200 and duplicates == 0 and losses == 0
        return 0 if ok else 1
    finally:
        for proc in reversed(procs):
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()


if __name__ == "__main__":
    sys.exit(main())
