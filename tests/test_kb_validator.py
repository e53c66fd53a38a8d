"""The validator turns every kind of broken entry into a `file:line: message` error."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml

from matchers import KnowledgeBaseErrors, load_knowledge_base
from tests.kb_demo import GOOD
from tests.kb_demo import write_entry as _write


def _errors(directory: Path) -> str:
    with pytest.raises(KnowledgeBaseErrors) as info:
        load_knowledge_base(directory)
    return str(info.value)


def test_shipped_knowledge_base_is_valid_and_covers_the_catalogue(kb):
    from matchers.knowledge_base import catalogue_ids

    wanted = catalogue_ids(kb.directory)
    assert len(wanted) == 30
    assert set(wanted) <= set(kb.entries)


def test_good_entry_loads(tmp_path):
    kb = load_knowledge_base(_write(tmp_path, GOOD))
    assert kb.get("demo-entry").signals["error_line"].weight == 0.8


def test_bad_yaml_reports_file_and_line(tmp_path):
    directory = _write(tmp_path, GOOD.replace("summary: A demo entry.", "summary: [unclosed"))
    assert "knowledge/tls/demo-entry.yaml:" in _errors(directory)
    assert "invalid YAML" in _errors(directory)


def test_unknown_field_is_named_with_its_line(tmp_path):
    directory = _write(tmp_path, GOOD.replace("signals:", "sigals: {}\nsignals:"))
    assert "knowledge/tls/demo-entry.yaml:6: unknown field 'sigals'" in _errors(directory)


def test_duplicate_id_is_reported(tmp_path):
    _write(tmp_path, GOOD)
    directory = _write(tmp_path, GOOD.replace("section: tls", "section: tls"), name="demo-entry")
    other = directory / "inbound"
    other.mkdir()
    (other / "demo-entry.yaml").write_text(GOOD)
    assert "duplicate id 'demo-entry'" in _errors(directory)


def test_id_must_match_file_name(tmp_path):
    directory = _write(tmp_path, GOOD, name="other-name")
    assert "does not match the file name" in _errors(directory)


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("'(?=lookahead)abc'", "look-around"),
        ("'(a)\\\\1'", "back-reference"),
        ("'([unclosed'", "does not compile in RE2"),
    ],
)
def test_patterns_must_be_linear_time_re2(tmp_path, pattern, message):
    text = GOOD.replace(
        "    literal: Inbound TLS Negotiation Error\n",
        f"    pattern: {pattern}\n    anchor: negotiation error\n",
    )
    errors = _errors(_write(tmp_path, text))
    assert message in errors
    assert "demo-entry.yaml:8:" in errors


def test_pattern_without_anchor_is_refused(tmp_path):
    text = GOOD.replace("    literal: Inbound TLS Negotiation Error\n", "    pattern: 'negotiation error'\n")
    assert "needs an 'anchor'" in _errors(_write(tmp_path, text))


def test_condition_must_name_known_signals(tmp_path):
    directory = _write(tmp_path, GOOD.replace("condition: error_line", "condition: error_line or typo_signal"))
    assert "demo-entry.yaml:10: condition names 'typo_signal'" in _errors(directory)


def test_unknown_fact_is_refused(tmp_path):
    text = GOOD.replace("    literal: Inbound TLS Negotiation Error\n", "    fact: no_such_fact\n")
    assert "unknown fact 'no_such_fact'" in _errors(_write(tmp_path, text))


def test_missing_catalogue_id_is_reported(tmp_path):
    directory = _write(tmp_path, GOOD)
    (directory / "catalogue.yaml").write_text("problems:\n  tls:\n    - {id: tls-something-missing, title: x}\n")
    assert "catalogue id 'tls-something-missing' has no knowledge-base entry" in _errors(directory)


def test_too_short_literal_is_refused(tmp_path):
    directory = _write(tmp_path, GOOD.replace("literal: Inbound TLS Negotiation Error", "literal: 'ok'"))
    assert "too short to match reliably" in _errors(directory)


def test_cli_validate_reports_problems_and_exit_code(tmp_path, capsys):
    from bot.cli import main

    directory = _write(tmp_path, GOOD.replace("signals:", "sigals: {}\nsignals:"))
    assert main(["--kb", str(directory), "kb", "validate"]) == 2
    assert "unknown field 'sigals'" in capsys.readouterr().err


# ---------------------------------------------------------------- the three malformed entries the design review found
def test_exclusions_given_as_a_list_are_refused_at_their_line(tmp_path):
    text = GOOD.replace("condition: error_line\n", "condition: error_line\nexclusions: [healthy]\n")
    assert "demo-entry.yaml:11: exclusions: ['healthy'] is not of type 'object'" in _errors(_write(tmp_path, text))


def test_examples_given_as_a_list_are_refused_at_their_line(tmp_path):
    text = GOOD.replace('examples:\n  positive: ["Inbound TLS Negotiation Error"]\n  negative: ["all fine"]',
                        'examples: ["Inbound TLS Negotiation Error"]')
    assert "demo-entry.yaml:13: examples: ['Inbound TLS Negotiation Error'] is not of type 'object'" in _errors(
        _write(tmp_path, text))


def test_related_sip_codes_must_be_numbers(tmp_path):
    text = GOOD.replace("condition: error_line\n", 'condition: error_line\nrelated: {sip: "404"}\n')
    assert "demo-entry.yaml:11: related.sip: '404' is not of type 'array'" in _errors(_write(tmp_path, text))


# ---------------------------------------------------------------- fields that did nothing are refused
@pytest.mark.parametrize("field", ["note: shown nowhere", "min_score: 0.4"])
def test_signal_fields_without_a_meaning_are_refused(tmp_path, field):
    text = GOOD.replace("    weight: 0.8\n", f"    weight: 0.8\n    {field}\n")
    name = field.split(":")[0]
    assert f"demo-entry.yaml:10: signal 'error_line': unknown field '{name}' for a literal signal" in _errors(
        _write(tmp_path, text))


def test_a_list_item_that_yaml_read_as_a_mapping_is_refused(tmp_path):
    verify = "verify:\n  - the log shows `CPL: <reject/>`\n"
    text = GOOD.replace("condition: error_line\n", f"condition: error_line\n{verify}")
    errors = _errors(_write(tmp_path, text))
    assert "demo-entry.yaml:12: verify.0:" in errors and "is not of type 'string'" in errors


def test_an_entry_beyond_the_catalogue_needs_a_source(tmp_path):
    text = "\n".join(line for line in GOOD.split("\n") if not line.startswith("source:"))
    assert "needs a 'source'" in _errors(_write(tmp_path, text))


def test_status_must_be_a_known_value(tmp_path):
    errors = _errors(_write(tmp_path, GOOD.replace("section: tls", "section: tls\nstatus: beta")))
    assert "status must be one of stable, test, experimental, deprecated, got 'beta'" in errors


def test_explain_of_a_sip_code_never_crashes(tmp_path, capsys):
    from bot.cli import main

    text = GOOD.replace("condition: error_line\n", "condition: error_line\nrelated: {sip: [404]}\n")
    directory = _write(tmp_path, text)
    assert main(["--kb", str(directory), "explain", "404"]) == 0
    assert "demo-entry" in capsys.readouterr().out


# ---------------------------------------------------------------- the compiled cache
def test_the_cache_is_used_rebuilt_when_a_file_changes_and_ignored_when_corrupt(tmp_path, monkeypatch):
    from matchers import kb_cache

    monkeypatch.setenv("BOT_KB_CACHE_DIR", str(tmp_path / "cache"))
    directory = _write(tmp_path, GOOD)
    assert load_knowledge_base(directory).get("demo-entry").title == "Demo"
    assert len(list((tmp_path / "cache").glob("kb-*.pickle"))) == 1
    stored = []
    real = kb_cache.store
    monkeypatch.setattr(kb_cache, "store", lambda key, kb: stored.append(key) or real(key, kb))
    again = load_knowledge_base(directory)
    assert stored == [] and again.get("demo-entry").signals["error_line"].weight == 0.8   # from the cache
    assert again.get("demo-entry").condition.evaluate({"error_line"})                     # closures rebuilt
    entry_file = directory / "tls" / "demo-entry.yaml"
    entry_file.write_text(textwrap.dedent(GOOD).replace("weight: 0.8", "weight: 0.7"))
    assert load_knowledge_base(directory).get("demo-entry").signals["error_line"].weight == 0.7
    assert len(stored) == 1                                                               # stale: rebuilt
    for path in (tmp_path / "cache").glob("kb-*.pickle"):
        path.write_bytes(b"not a pickle")
    assert load_knowledge_base(directory).get("demo-entry").signals["error_line"].weight == 0.7
    assert len(stored) == 2                                                               # corrupt: rebuilt


def test_a_broken_entry_is_never_served_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("BOT_KB_CACHE_DIR", str(tmp_path / "cache"))
    directory = _write(tmp_path, GOOD)
    load_knowledge_base(directory)
    entry_file = directory / "tls" / "demo-entry.yaml"
    entry_file.write_text(textwrap.dedent(GOOD).replace("signals:", "sigals: {}\nsignals:"))
    assert "unknown field 'sigals'" in _errors(directory)


def test_entries_beyond_the_guide_name_their_source(kb):
    """An entry that is not one of the guide's (catalogue) ids says which Cisco document it is written from."""
    from matchers.knowledge_base import catalogue_ids

    guide = set(catalogue_ids(kb.directory))
    missing = []
    for entry in kb:
        if entry.id in guide:
            continue
        data = yaml.safe_load((kb.directory.parent / entry.path).read_text(encoding="utf-8"))
        sources = data.get("source")
        sources = sources if isinstance(sources, list) else [sources]
        if not all(isinstance(s, dict) and s.get("title") and str(s.get("url", "")).startswith("https://")
                   for s in sources):
            missing.append(entry.id)
    assert not missing, missing


def test_kb_validate_flags_an_entry_without_a_negative_for_its_nearest_lookalike():
    import dataclasses

    from matchers import Engine, load_knowledge_base
    from matchers.knowledge_base import KnowledgeBase
    from matchers.lookalikes import untested_lookalikes

    kb = load_knowledge_base()
    entry = kb.get("in-port-5062-blocked")
    assert entry is not None and entry.distinguish
    assert ("in-port-5062-blocked", entry.distinguish[0].other_id) not in untested_lookalikes(Engine(kb))
    stripped = KnowledgeBase({e.id: dataclasses.replace(e, negative_examples=()) if e.id == entry.id else e
                              for e in kb}, kb.directory)
    assert ("in-port-5062-blocked", entry.distinguish[0].other_id) in untested_lookalikes(Engine(stripped))


def test_a_stage_must_be_one_of_the_stages_file(tmp_path):
    directory = _write(tmp_path, GOOD.replace("section: tls\n", "section: tls\nstage: [tls]\n"))
    (directory / "stages.yaml").write_text("- id: dns\n  title: Name resolution\n  words: [dns]\n")
    message = _errors(directory)
    assert "demo-entry.yaml:5" in message and "unknown stage 'tls'" in message
    (directory / "stages.yaml").write_text("- id: tls\n  title: TLS\n  words: [handshake]\n  zh: [握手]\n")
    kb = load_knowledge_base(directory, use_cache=False)
    assert kb.get("demo-entry").stages == ("tls",) and kb.stages[0].zh == ("握手",)


def test_a_malformed_stages_file_is_refused(tmp_path):
    directory = _write(tmp_path, GOOD)
    (directory / "stages.yaml").write_text("- id: dns\n  words: dns\n")
    assert "stages.yaml" in _errors(directory)


def test_a_stages_fails_words_are_read_and_must_be_a_list(tmp_path):
    directory = _write(tmp_path, GOOD)
    (directory / "stages.yaml").write_text("- id: media\n  title: Media\n  words: [audio]\n  fails: [no audio]\n")
    assert load_knowledge_base(directory, use_cache=False).stages[0].fails == ("no audio",)
    (directory / "stages.yaml").write_text("- id: media\n  title: Media\n  words: [audio]\n  fails: no audio\n")
    assert "stages.yaml" in _errors(directory)


def test_a_part_of_a_stage_names_a_known_stage_and_patterns_that_compile(tmp_path):
    directory = _write(tmp_path, GOOD)
    base = "- id: tls\n  title: TLS\n  words: [handshake]\n"
    (directory / "stages.yaml").write_text(base + "- id: side\n  title: Side\n  within: tls\n"
                                           "  says: ['webex rejects']\n")
    assert load_knowledge_base(directory, use_cache=False).stages[1].within == "tls"
    (directory / "stages.yaml").write_text(base + "- id: side\n  title: Side\n  within: media\n")
    assert "unknown stage 'media'" in _errors(directory)
    (directory / "stages.yaml").write_text(base + "- id: side\n  title: Side\n  says: ['(unclosed']\n")
    assert "does not compile" in _errors(directory)
    (directory / "stages.yaml").write_text(base + "  began: ['mid-?handshake']\n")
    assert load_knowledge_base(directory, use_cache=False).stages[0].began == ("mid-?handshake",)
    (directory / "stages.yaml").write_text(base + "  began: ['(unclosed']\n")
    assert "does not compile" in _errors(directory)


def test_every_problem_names_its_part_for_a_writer_to_rule_out():
    """`part:` is how "the firewall is open" or "the subject name is correct" reaches the entry it rules out."""
    from matchers import load_knowledge_base
    from matchers.model import EntryKind
    missing = [e.id for e in load_knowledge_base() if e.kind is EntryKind.PROBLEM and not e.part]
    assert not missing, missing
