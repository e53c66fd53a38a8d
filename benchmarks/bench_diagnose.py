"""Diagnosis latency benchmark (prints numbers; not a test).

    .venv/bin/python benchmarks/bench_diagnose.py            # full run, about 4 minutes (x100 base build: 2)
    .venv/bin/python benchmarks/bench_diagnose.py --quick    # two rounds, fewer repetitions

Measures in-process `Engine.diagnose` on a 1 KB paste, a 7 KB paste, a 1 MB and a 20 MB Expressway-style
log; the same with the knowledge base scaled x10 and x100 by synthetic entries; and, as the floor,
`grep -F -f <every literal signal>` over the same inputs.
"""
from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matchers import Engine, load_knowledge_base  # noqa: E402
from matchers.knowledge_base import DEFAULT_KB_DIR  # noqa: E402

NOISE = [
    '{ts} expe01 tvcs: UTCTime="{utc}" Module="network.sip" Level="DEBUG":  Action="Received" '
    'Local-ip="198.51.100.10" Local-port="5061" Src-ip="203.0.113.{n}" Src-port="{p}" Msg-Hash="{h}"',
    '{ts} expe01 tvcs: UTCTime="{utc}" Module="network.tcp" Level="DEBUG":  Src-ip="203.0.113.{n}" Src-port="{p}" '
    'Dst-ip="198.51.100.10" Dst-port="5061" Detail="TCP Connection Established"',
    '{ts} expe01 tvcs: UTCTime="{utc}" Module="developer.ssl" Level="INFO" CodeLocation="ppcmains/ssl/ttssl/'
    'ttssl_openssl.cpp(1954)" Method="::ttssl_continueHandshake" Thread="0x7f11aa3fe700":  '
    'Detail="Handshake in progress" Reason="want read/write"',
    '{ts} expe01 tvcs: Event="Call Attempted" Service="SIP" Src-ip="192.0.2.{n}" Src-port="{p}" '
    'Src-alias-type="SIP" Src-alias="sip:user{n}@example.com" Dst-alias-type="SIP" '
    'Dst-alias="sip:room{p}@example.com" Protocol="TLS" Auth="NO"',
    '{ts} expe01 tvcs: UTCTime="{utc}" Module="network.search" Level="DEBUG":  '
    'Detail="Search rule \'as is local\' did not match destination alias \'room{p}@example.com\'"',
    "Via: SIP/2.0/TLS 192.0.2.{n}:5061;branch=z9hG4bK{h};received=192.0.2.{n}",
    "Call-ID: {h}@192.0.2.{n}",
    "CSeq: 101 INVITE",
    "Contact: <sip:user{n}@192.0.2.{n}:5061;transport=tls>",
    "a=rtpmap:9 G722/8000",
]
NEEDLES = [
    '{ts} expe01 tvcs: Event="Inbound TLS Negotiation Error" Service="SIP" Src-ip="203.0.113.45" '
    'Src-port="{p}" Dst-ip="198.51.100.10" Dst-port="5062" Detail="self signed certificate in certificate chain" '
    'Protocol="TLS" Level="1"',
    '{ts} expe01 tvcs: UTCTime="{utc}" Module="network.tcp" Level="ERROR":  Src-ip="198.51.100.10" Src-port="{p}" '
    'Dst-ip="203.0.113.70" Dst-port="5062" Detail="TCP Connection Failed"',
]


def make_log(size: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    out: list[str] = []
    total = 0
    i = 0
    while total < size:
        i += 1
        template = rng.choice(NEEDLES) if i % 5000 == 0 else rng.choice(NOISE)
        line = template.format(ts=f"2024-05-14T09:{i // 60 % 60:02d}:{i % 60:02d}.{i % 1000:03d}+02:00",
                               utc=f"2024-05-14 07:{i // 60 % 60:02d}:{i % 60:02d},{i % 1000:03d}",
                               n=rng.randint(1, 254), p=rng.randint(1024, 65000), h=rng.getrandbits(60))
        out.append(line)
        total += len(line) + 1
    return "\n".join(out) + "\n"


def dev_pastes() -> list[str]:
    cases = ROOT.parent / "shared" / "examples" / "cases.yaml"
    if cases.exists():
        return [c["text"] for c in yaml.safe_load(cases.read_text())]
    kb = load_knowledge_base()
    return [t for e in kb for t in e.positive_examples]


def paste_of_size(size: int) -> str:
    texts = sorted(dev_pastes(), key=len)
    out = ""
    for t in texts if size > 2000 else reversed(texts):
        if len(out) + len(t) > size:
            continue
        out += t + "\n"
    return out


def scaled_kb(factor: int, workdir: Path) -> Path:
    """Copy the knowledge base and add (factor-1) synthetic variants of every entry with new literals."""
    target = workdir / f"kb-x{factor}"
    shutil.copytree(DEFAULT_KB_DIR, target)
    rng = random.Random(factor)
    sources = sorted(DEFAULT_KB_DIR.rglob("*.yaml"))
    for path in sources:
        data = yaml.safe_load(path.read_text())
        if not isinstance(data, dict) or "signals" not in data:
            continue   # the catalogue and the stages are not entries
        for k in range(1, factor):
            clone = dict(data)
            clone["id"] = f"{data['id']}-syn{k}"
            clone["source"] = "synthetic entry for the benchmark"
            signals = {}
            for name, sig in data["signals"].items():
                sig = dict(sig)
                if "literal" in sig:
                    lits = sig["literal"] if isinstance(sig["literal"], list) else [sig["literal"]]
                    sig["literal"] = [f"{lit} {rng.getrandbits(40):x}" for lit in lits]
                if "anchor" in sig:
                    anchors = sig["anchor"] if isinstance(sig["anchor"], list) else [sig["anchor"]]
                    sig["anchor"] = [f"{a} {rng.getrandbits(40):x}" for a in anchors]
                if "fact" in sig:  # a synthetic entry decided by a fact value nothing produces
                    sig["value"] = f"syn{rng.getrandbits(30):x}"
                if "xconfig" in sig:
                    sig["xconfig"] = dict(sig["xconfig"], setting=f"{sig['xconfig']['setting']} Syn{k}")
                if "sip_code" in sig:
                    sig["sip_code"] = 199
                if "phrase" in sig:
                    phrases = sig["phrase"] if isinstance(sig["phrase"], list) else [sig["phrase"]]
                    sig["phrase"] = [f"{p} zq{rng.getrandbits(20):x}" for p in phrases]
                signals[name] = sig
            clone["signals"] = signals
            clone.pop("distinguish", None)
            out = target / path.parent.name / f"{clone['id']}.yaml"
            out.write_text(yaml.safe_dump(clone, sort_keys=False))
    return target


def literals_file(workdir: Path) -> Path:
    kb = load_knowledge_base()
    lits = sorted({lit for e in kb for s in e.signals.values() if s.kind == "literal" for lit in s.literals})
    path = workdir / "literals.txt"
    path.write_text("\n".join(lits) + "\n")
    return path


def sample_times(fn, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    fn()  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def grep_run(literals: Path, data: Path, *flags: str):  # type: ignore[no-untyped-def]
    def run() -> None:
        subprocess.run(["grep", "-c", "-F", *flags, "-f", str(literals), str(data)], stdout=subprocess.DEVNULL,
                       check=False)
    return run


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true", help="fewer rounds and repetitions")
    ap.add_argument("--rounds", type=int, default=5, help="interleaved rounds (this host's speed drifts)")
    args = ap.parse_args()
    reps = {"1 KB paste": 200, "7 KB paste": 100, "1 MB log": 25, "20 MB log": 15}   # per input, over all rounds
    rounds = 2 if args.quick else max(1, args.rounds)
    if args.quick:
        reps = {k: max(rounds, v // 5) for k, v in reps.items()}
    inputs = {
        "1 KB paste": paste_of_size(1024),
        "7 KB paste": paste_of_size(7 * 1024),
        "1 MB log": make_log(1_000_000),
        "20 MB log": make_log(20_000_000),
    }
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        lits = literals_file(workdir)
        files = {}
        for name, text in inputs.items():
            path = workdir / (name.replace(" ", "_") + ".txt")
            path.write_text(text)
            files[name] = path
        engines = {"x1": Engine(load_knowledge_base())}
        for factor in (10, 100):
            start = time.perf_counter()
            kb = load_knowledge_base(scaled_kb(factor, workdir), strict=False)
            engines[f"x{factor}"] = Engine(kb)
            print(f"knowledge base x{factor}: {len(kb)} entries, loaded in {time.perf_counter() - start:.1f} s",
                  flush=True)
        print(f"literals for grep: {sum(1 for _ in lits.open())}; {rounds} interleaved rounds", flush=True)
        # Every input, engine and grep is measured in every round, so a slow spell of the host lands on all of
        # them alike; the table gives medians over all rounds, and each round's own x1/grep ratio is kept too.
        samples: dict[str, dict[str, list[float]]] = {name: {} for name in inputs}
        ratios: dict[str, list[float]] = {name: [] for name in inputs}
        round_x1: dict[str, list[float]] = {name: [] for name in inputs}
        for r in range(rounds):
            for name, text in inputs.items():
                here = samples[name]
                for label, engine in engines.items():
                    n = max(1, reps[name] // rounds // (1 if label == "x1" else 2))
                    here.setdefault(label, []).extend(sample_times(lambda e=engine, t=text: e.diagnose(t), n))
                for label, flags in (("grep -F", ()), ("grep -Fi", ("-i",))):
                    here.setdefault(label, []).extend(sample_times(grep_run(lits, files[name], *flags), 3))
                round_x1[name].append(statistics.median(here["x1"][-max(1, reps[name] // rounds):]))
                ratios[name].append(round_x1[name][-1] / statistics.median(here["grep -F"][-3:]))
            print(f"round {r + 1} of {rounds}: 7 KB paste x1 {round_x1['7 KB paste'][-1] * 1000:.1f} ms", flush=True)
        header = (f"{'input':12} {'bytes':>10} {'KB x1':>10} {'KB x10':>10} {'KB x100':>10} {'grep -F':>10} "
                  f"{'grep -Fi':>10} {'x1/grep':>8} {'x1/grep-i':>9} {'x100/x1':>8}")
        print()
        print(header)
        print("-" * len(header))
        for name, text in inputs.items():
            med = {label: statistics.median(v) for label, v in samples[name].items()}
            row = [f"{name:12}", f"{len(text.encode()):>10}"]
            row += [f"{med[label] * 1000:>8.1f}ms" for label in ("x1", "x10", "x100", "grep -F", "grep -Fi")]
            row.append(f"{med['x1'] / med['grep -F']:>7.1f}x")
            row.append(f"{med['x1'] / med['grep -Fi']:>8.1f}x")
            row.append(f"{med['x100'] / med['x1']:>8.2f}")
            print(" ".join(row))
        print("\nper round: x1 median (ms) / x1 over grep -F of the same round")
        for name in inputs:
            pairs = zip(round_x1[name], ratios[name], strict=True)
            print(f"  {name:12} " + "  ".join(f"{t * 1000:6.1f} /{x:5.1f}x" for t, x in pairs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
