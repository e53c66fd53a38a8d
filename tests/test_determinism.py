"""The same paste gets the same report whatever Python's hash seed: sets of words must never decide an order or a
sum (a tie between two look-alikes once flipped with the seed)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = """
import json, sys
from matchers import Engine
from tests.golden import example_texts
engine = Engine()
texts = list(example_texts())
json.dump({key: engine.diagnose(text).as_dict() for key, text in texts}, sys.stdout, sort_keys=True)
"""


def _reports(seed: str) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True, timeout=600)
    return json.loads(out.stdout)


def test_reports_do_not_depend_on_the_hash_seed():
    first, second = _reports("1"), _reports("29")
    assert first.keys() == second.keys()
    changed = [key for key in first if first[key] != second[key]]
    assert not changed, changed[:5]
