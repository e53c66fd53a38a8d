"""Boolean conditions over signal names, as written in a knowledge-base entry.

Grammar: ``expr := term ('or' term)*``, ``term := factor ('and' factor)*``,
``factor := 'not' factor | '(' expr ')' | N 'of' '(' name (',' name)* ')' | name``.

>>> c = parse_condition("a and (b or not c)")
>>> c.evaluate({"a", "b"}), c.evaluate({"a", "c"}), sorted(c.names())
(True, False, ['a', 'b', 'c'])
>>> parse_condition("2 of (a, b, c)").evaluate({"a", "c"})
True
"""
from __future__ import annotations

import re
from collections.abc import Callable, Container
from dataclasses import dataclass

_TOKEN = re.compile(r"\s*(?:(\()|(\))|(,)|([A-Za-z_][A-Za-z0-9_]*)|(\d+))")


class ConditionSyntaxError(ValueError):
    pass


@dataclass(frozen=True)
class Condition:
    text: str
    _eval: Callable[[Container[str]], bool]
    _names: frozenset[str]

    def evaluate(self, fired: Container[str]) -> bool:
        return self._eval(fired)

    def names(self) -> frozenset[str]:
        return self._names

    def __reduce__(self) -> tuple[object, tuple[str]]:
        """Pickled as its text (the knowledge-base cache): the closures are rebuilt by parsing it again."""
        return parse_condition, (self.text,)


def _tokenize(text: str) -> list[str]:
    tokens: list[str] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise ConditionSyntaxError(f"unexpected character {text[pos]!r} at column {pos + 1}")
        tokens.append(m.group(m.lastindex or 0))
        pos = m.end()
    return tokens


def parse_condition(text: str) -> Condition:
    tokens = _tokenize(text)
    names: set[str] = set()
    pos = 0

    def peek() -> str | None:
        return tokens[pos] if pos < len(tokens) else None

    def take(expected: str | None = None) -> str:
        nonlocal pos
        tok = peek()
        if tok is None:
            raise ConditionSyntaxError(f"condition ends early (expected {expected or 'a name'})")
        if expected is not None and tok != expected:
            raise ConditionSyntaxError(f"expected {expected!r}, found {tok!r}")
        pos += 1
        return tok

    def expr() -> Callable[[Container[str]], bool]:
        parts = [term()]
        while peek() == "or":
            take()
            parts.append(term())
        if len(parts) == 1:
            return parts[0]
        alternatives = tuple(parts)

        def any_of(f: Container[str]) -> bool:
            return any(p(f) for p in alternatives)

        return any_of

    def term() -> Callable[[Container[str]], bool]:
        parts = [factor()]
        while peek() == "and":
            take()
            parts.append(factor())
        if len(parts) == 1:
            return parts[0]
        required = tuple(parts)

        def all_of(f: Container[str]) -> bool:
            return all(p(f) for p in required)

        return all_of

    def factor() -> Callable[[Container[str]], bool]:
        tok = peek()
        if tok == "not":
            take()
            inner = factor()
            return lambda f: not inner(f)
        if tok == "(":
            take()
            inner = expr()
            take(")")
            return inner
        if tok is not None and tok.isdigit():
            need = int(take())
            take("of")
            take("(")
            group = [take()]
            while peek() == ",":
                take()
                group.append(take())
            take(")")
            names.update(group)
            members, need_count = tuple(group), need

            def at_least(f: Container[str]) -> bool:
                return sum(1 for x in members if x in f) >= need_count

            return at_least
        name = take()
        if name in {"and", "or", "of", ")", ",", "("}:
            raise ConditionSyntaxError(f"expected a signal name, found {name!r}")
        names.add(name)

        def present(f: Container[str]) -> bool:
            return name in f

        return present

    if not tokens:
        raise ConditionSyntaxError("condition is empty")
    fn = expr()
    if pos != len(tokens):
        raise ConditionSyntaxError(f"unexpected {tokens[pos]!r} after a complete condition")
    return Condition(text=text, _eval=fn, _names=frozenset(names))
