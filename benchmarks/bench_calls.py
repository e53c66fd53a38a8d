"""Call grouping benchmark (prints numbers; not a test).

    .venv/bin/python benchmarks/bench_calls.py              # 20 MB log, median of 3 runs
    .venv/bin/python benchmarks/bench_calls.py --mb 5       # a smaller log

Builds an Expressway-style diagnostic log of the given size: an Expressway-E's records and, for one call in
three, the Expressway-C's too, interleaved by time (one call every 0.8 s, each Webex > E > C > Unified CM with
100/180/200/ACK and a BYE a minute later), one call in ten rejected by the Expressway-C with 404 Policy
Response, one in forty a Webex connection that dies in the TLS handshake, and search-rule noise lines between.
Then times `find_calls` on its lines and prints the calls found and calls per second.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from call_logs import Log, Site, inbound  # noqa: E402

from matchers.calls import find_calls  # noqa: E402


def make_log(size: int) -> tuple[list[str], int, int]:
    """(lines, calls written, failing calls written) for a log of about `size` bytes."""
    site, log = Site(), Log()
    written = failing = n = 0
    approx = 0
    while approx < size:
        t = n * 0.8
        if n % 40 == 39:
            client = f"203.0.113.{n % 200 + 20}:{30000 + n % 30000}"
            log.tcp(t, site.expe, "TCP Connecting", client, f"{site.expe_out}:5062")
            ip, port = client.split(":")
            log.event(t + 0.05, site.expe, "Inbound TLS Negotiation Error", Service="SIP", Src_ip=ip, Src_port=port,
                      Dst_ip=site.expe_out, Dst_port="5062", Detail="sslv3 alert certificate unknown",
                      Protocol="TLS")
            failing += 1
        else:
            reject = n % 10 == 3
            inbound(log, site, t, n, both=n % 3 == 0, reject_at_c=reject)
            failing += reject
        for k in range(4):
            log.noise(t + 0.001 * k, site.expc, f"Search rule 'B2B rule {k}' did not match destination alias "
                                                f"'desk{n}@{site.domain}'")
        written += 1
        n += 1
        if n % 200 == 0:
            approx = sum(len(line) + 1 for _, _, lines in log.entries for line in lines)
    return log.lines(), written, failing


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=float, default=20.0, help="log size in MB (default 20)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    lines, written, failing = make_log(int(args.mb * 1024 * 1024))
    size = sum(len(line) + 1 for line in lines)
    print(f"log: {size / 2**20:.1f} MB, {len(lines):,} lines, {written:,} calls written ({failing:,} failing)")
    timings = []
    for _ in range(args.runs):
        start = time.perf_counter()
        calls = find_calls(lines)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    print(f"find_calls: {len(calls):,} calls found ({sum(c.failed for c in calls):,} failing), "
          f"median {median:.2f} s of {args.runs} runs ({', '.join(f'{t:.2f}' for t in timings)}), "
          f"{len(calls) / median:,.0f} calls/s, {size / 2**20 / median:.1f} MB/s")


if __name__ == "__main__":
    main()
