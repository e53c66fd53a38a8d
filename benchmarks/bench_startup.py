"""Start-up benchmark (prints numbers; not a test).

    .venv/bin/python benchmarks/bench_startup.py                  # this checkout
    .venv/bin/python benchmarks/bench_startup.py --tree OTHER      # another checkout (e.g. a git worktree of an
                                                                   # earlier commit), run with ITS code
Measures, each in a fresh process so nothing is already imported:
- loading the knowledge base x1, x10 and x100 (synthetic entries, as in bench_diagnose.py): cold (the YAML read and
  validated) and warm (the compiled cache, when the tree has one); the median of --repeat runs;
- building the engine on it;
- `python -m bot diagnose` of a 1 KB paste, wall time, median of 10.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_diagnose import paste_of_size, scaled_kb  # noqa: E402

PROBE = r"""
import inspect, json, sys, time
start = time.perf_counter()
from matchers import Engine, load_knowledge_base
imported = time.perf_counter()
kwargs = {}
if "use_cache" in inspect.signature(load_knowledge_base).parameters:
    kwargs["use_cache"] = sys.argv[2] == "warm"
kb = load_knowledge_base(sys.argv[1], strict=False, **kwargs)
loaded = time.perf_counter()
Engine(kb)
built = time.perf_counter()
print(json.dumps({"entries": len(kb), "import": imported - start, "load": loaded - imported, "engine": built - loaded}))
"""


def probe(tree: Path, kb: Path, mode: str, cache: Path) -> dict[str, float]:
    env = {**os.environ, "BOT_KB_CACHE_DIR": str(cache), "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", PROBE, str(kb), mode], capture_output=True, text=True, cwd=tree,
                         env=env, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def median_of(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tree", type=Path, default=ROOT, help="checkout whose code is measured (default: this one)")
    ap.add_argument("--repeat", type=int, default=5, help="runs per measurement (median)")
    ap.add_argument("--cli-runs", type=int, default=10)
    args = ap.parse_args()
    tree = args.tree.resolve()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=tree, capture_output=True, text=True).stdout
    print(f"tree: {tree} ({commit.strip()})")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        bases = {"x1": tree / "knowledge", "x10": scaled_kb(10, work), "x100": scaled_kb(100, work)}
        print("| base | entries | load cold | load warm | engine build | cold + build | warm + build |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name, kb in bases.items():
            cache = work / f"cache-{name}"
            cold = [probe(tree, kb, "cold", cache) for _ in range(max(1, args.repeat if name != "x100" else 3))]
            probe(tree, kb, "warm", cache)   # writes the cache (where the tree has one)
            warm = [probe(tree, kb, "warm", cache) for _ in range(args.repeat)]
            c, w, e = median_of(cold, "load"), median_of(warm, "load"), median_of(warm, "engine")
            print(f"| {name} | {cold[0]['entries']} | {c:.3f} s | {w:.3f} s | {e:.3f} s | {c + e:.2f} s | "
                  f"{w + e:.2f} s |", flush=True)
        paste = work / "paste.txt"
        paste.write_text(paste_of_size(1024))
        env = {**os.environ, "BOT_KB_CACHE_DIR": str(work / "cache-cli"), "PYTHONPATH": str(tree)}
        subprocess.run([sys.executable, "-m", "bot", "diagnose", str(paste)], cwd=tree, env=env,
                       capture_output=True, check=False)   # the first run fills the cache
        times = []
        for _ in range(args.cli_runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "bot", "diagnose", str(paste)], cwd=tree, env=env,
                           capture_output=True, check=True)
            times.append(time.perf_counter() - start)
        print(f"\nCLI diagnose of a {paste.stat().st_size} byte paste: median {statistics.median(times):.3f} s "
              f"(min {min(times):.3f}, max {max(times):.3f}, {len(times)} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
