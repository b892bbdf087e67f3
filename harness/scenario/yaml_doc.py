"""YAML to plain data plus the line of every key, so problems can point at the file.

Built on PyYAML's composer: the node tree knows where each key and item starts. Scalars
follow YAML 1.2 habits where 1.1 surprises authors: `no`/`on` stay strings and dates
(生年月日 `1960-04-01`) stay strings; only true/false are booleans. Merge keys (`<<: *a`)
fill in the keys a mapping does not write itself.

The composer keeps an alias as a second reference to its anchor's node, so a file of nested
aliases is small as text and as a tree; only building the data expands it. Building counts
every node it builds again through an alias and stops at MAX_ALIAS_NODES: a "billion
laughs" file is one problem, found in milliseconds, instead of all the memory there is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from harness.scenario.errors import KeyPath, Problem, ScenarioError, key_text

_BOOL = "tag:yaml.org,2002:bool"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_MERGE = "tag:yaml.org,2002:merge"

# Nodes built a second time (or more) through aliases and merge keys, per file. A scenario
# reusing a target or a step a few dozen times builds hundreds; nested aliases (each one
# repeating the last several times) pass this within a few levels.
MAX_ALIAS_NODES = 10_000


class _Loader(yaml.SafeLoader):
    pass


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


@dataclass(frozen=True)
class YamlDoc:
    """A parsed file: its data and the 1-based line of every key path in it."""

    data: Any
    lines: dict[KeyPath, int]

    def line_of(self, path: KeyPath) -> int:
        """The line of `path`, or of its nearest written ancestor (for a missing key)."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


def parse_yaml(text: str, file: str) -> YamlDoc:
    """Parse one YAML document; syntax errors and duplicate keys raise ScenarioError."""
    try:
        loader = _Loader(text)  # the reader refuses control characters right here
    except yaml.reader.ReaderError as error:
        line = text[: error.position].count("\n") + 1
        message = f"YAML: unacceptable character #x{error.character:04x}; remove it"
        raise ScenarioError([Problem(file, line, "", message)]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            raise ScenarioError([Problem(file, 1, "", "the file is empty")])
        builder = _Builder(loader, file)
        data = builder.build(node, ())
    except _TooManyAliasNodes as error:
        message = (
            f"aliases expand to more than {MAX_ALIAS_NODES:,} values (nested aliases, as in a "
            "'billion laughs' file); write the values out or reuse fewer levels of aliases"
        )
        raise ScenarioError([Problem(file, error.line, key_text(error.path), message)]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        context = f" ({error.context})" if error.context else ""
        message = f"YAML syntax: {error.problem}{context}"
        if "'?'" in str(error.problem) and "flow" in str(error.context):
            # PyYAML reads '?' inside {…} or […] as a key marker: URLs with a query need quotes.
            message += "; put a value holding '?' in quotes, e.g. url: '/search?q=1'"
        raise ScenarioError([Problem(file, line, "", message)]) from None
    finally:
        loader.dispose()
    if builder.problems:
        raise ScenarioError(builder.problems)
    return YamlDoc(data, builder.lines)


class _TooManyAliasNodes(Exception):
    def __init__(self, path: KeyPath, line: int) -> None:
        super().__init__(path, line)
        self.path, self.line = path, line


class _Builder:
    def __init__(self, loader: _Loader, file: str) -> None:
        self.loader = loader
        self.file = file
        self.lines: dict[KeyPath, int] = {}
        self.problems: list[Problem] = []
        self._open: set[int] = set()  # nodes being built: a recursive alias would never end
        self._built: set[int] = set()  # nodes built at least once
        self._again = 0  # nodes built again, through an alias or a merge key

    def build(self, node: Node, path: KeyPath) -> Any:
        self.lines.setdefault(path, node.start_mark.line + 1)
        if id(node) in self._built:
            self._again += 1
            if self._again > MAX_ALIAS_NODES:
                # Named at the innermost key written in the file: an alias's own position is
                # not kept by the composer (its items would point at the anchor).
                key = next((i for i in range(len(path), 0, -1) if isinstance(path[i - 1], str)), 0)
                raise _TooManyAliasNodes(path[:key], self.lines[path[:key]])
        self._built.add(id(node))
        if isinstance(node, ScalarNode):
            return self.loader.construct_object(node)
        if id(node) in self._open:
            self.problems.append(
                Problem(self.file, self.lines[path], key_text(path), "recursive alias")
            )
            return None
        self._open.add(id(node))
        try:
            if isinstance(node, SequenceNode):
                return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
            assert isinstance(node, MappingNode)
            return self._mapping(node, path)
        finally:
            self._open.discard(id(node))

    def _mapping(self, node: MappingNode, path: KeyPath) -> dict[str, Any]:
        out: dict[str, Any] = {}
        merges: list[Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merges.append(value_node)
                continue
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode):
                self.problems.append(
                    Problem(self.file, line, key_text(path), "a key must be a word")
                )
                continue
            key = str(key_node.value)  # the key as written: `1:` is the key '1'
            if key in out:
                first = self.lines[(*path, key)]
                message = f"duplicate key '{key}' (first at line {first})"
                self.problems.append(Problem(self.file, line, key_text(path), message))
                continue
            self.lines[(*path, key)] = line
            out[key] = self.build(value_node, (*path, key))
        # Keys written in the mapping win over merged ones; among merged, the first wins.
        for key_node, value_node in self._merged(merges, path, set()):
            key = str(key_node.value)
            if key not in out:
                self.lines[(*path, key)] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, (*path, key))
        return out

    def _merged(
        self, sources: list[Node], path: KeyPath, seen: set[int]
    ) -> list[tuple[Node, Node]]:
        """The entries `<<:` brings in, in precedence order (a merged mapping's own merges
        after its written keys)."""
        entries: list[tuple[Node, Node]] = []
        for source in sources:
            mappings = source.value if isinstance(source, SequenceNode) else [source]
            for mapping in mappings:
                if not isinstance(mapping, MappingNode):
                    line = mapping.start_mark.line + 1
                    message = "'<<' merges a mapping or a list of mappings (e.g. <<: *defaults)"
                    self.problems.append(Problem(self.file, line, key_text(path), message))
                    continue
                if id(mapping) in seen:
                    continue  # a mapping merging itself: its keys are there already
                seen.add(id(mapping))
                inner = [v for k, v in mapping.value if k.tag == _MERGE]
                entries += [(k, v) for k, v in mapping.value if k.tag != _MERGE]
                entries += self._merged(inner, path, seen)
        return entries
