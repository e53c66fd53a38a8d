"""Load YAML keeping the line number of every mapping key, for `file:line` error messages."""
from __future__ import annotations

from typing import Any

import yaml

KeyPath = tuple[Any, ...]
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)   # libyaml when the wheel has it: several times faster


class DuplicateKeyError(Exception):
    def __init__(self, key: str, line: int) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.line = line


def load_with_lines(text: str) -> tuple[Any, dict[KeyPath, int]]:
    """Parse one YAML document; return its data and {key path: 1-based line}.

    >>> data, lines = load_with_lines("a: 1\\nb:\\n  c: [x, y]\\n")
    >>> data, lines[("b", "c")], lines[("b",)]
    ({'a': 1, 'b': {'c': ['x', 'y']}}, 3, 2)
    """
    node = yaml.compose(text, Loader=_LOADER)
    lines: dict[KeyPath, int] = {}
    if node is None:
        return None, lines
    constructor = yaml.SafeLoader("")

    def build(n: yaml.Node, path: KeyPath) -> Any:
        if isinstance(n, yaml.MappingNode):
            out: dict[Any, Any] = {}
            for key_node, value_node in n.value:
                key = constructor.construct_object(key_node, deep=True)
                if key in out:
                    raise DuplicateKeyError(str(key), key_node.start_mark.line + 1)
                lines[path + (key,)] = key_node.start_mark.line + 1
                out[key] = build(value_node, path + (key,))
            return out
        if isinstance(n, yaml.SequenceNode):
            items = []
            for i, item in enumerate(n.value):
                lines[path + (i,)] = item.start_mark.line + 1
                items.append(build(item, path + (i,)))
            return items
        return constructor.construct_object(n, deep=True)

    return build(node, ()), lines

