"""Safe YAML loading that remembers where every key and value came from.

PyYAML's safe composer builds a node tree with line and column marks; we
construct plain Python data from it with the *safe* constructor only, so a tag
such as ``!!python/object/apply`` is refused, never run. The marks let every
later problem (a pydantic validation error, an unknown question id) point at
``file:line:col``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from klantladder.errors import InputError, Problem
from klantladder.limits import MAX_YAML_BYTES, read_input_bytes

Location = tuple[str | int, ...]

# libyaml's composer when PyYAML was built with it (about twenty times faster);
# both are safe: only the safe constructor ever builds values.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# A document with more nodes than this (after expanding aliases) is refused:
# it protects against "billion laughs" alias bombs.
MAX_NODES = 500_000


@dataclass(frozen=True)
class Place:
    """A 1-based line and column in a file."""

    line: int
    column: int


@dataclass
class YamlDocument:
    """Data loaded from one YAML file, with the place of every key and value."""

    name: str
    data: Any
    value_places: dict[Location, Place] = field(default_factory=dict)
    key_places: dict[Location, Place] = field(default_factory=dict)

    def place_of(self, location: Iterable[str | int], *, key: bool = False) -> Place | None:
        """Return the closest known place for a location in the data.

        With ``key=True`` the place of the mapping key itself is preferred (for
        "unknown key" messages). Parts of the location that are not in the data
        (pydantic adds union tags) are skipped; a location that runs past the
        data falls back to the deepest existing parent.
        """
        resolved = self.resolve(location)
        # A problem with a whole mapping or list reads best at its key.
        key = key or isinstance(self.value_at(resolved), dict | list)
        while True:
            if key and resolved in self.key_places:
                return self.key_places[resolved]
            if resolved in self.value_places:
                return self.value_places[resolved]
            if not resolved:
                return None
            resolved = resolved[:-1]

    def value_at(self, location: Location) -> Any:
        """The data at a resolved location."""
        current = self.data
        for part in location:
            current = current[part]
        return current

    def resolve(self, location: Iterable[str | int]) -> Location:
        """Map a validation location onto a path that exists in the data."""
        resolved: list[str | int] = []
        current = self.data
        for part in location:
            step = _step(current, part)
            if step is None:
                continue
            resolved.append(step[0])
            current = step[1]
        return tuple(resolved)

    def problem(self, location: Iterable[str | int], message: str, *, key: bool = False) -> Problem:
        """Build a problem at the place of ``location``."""
        place = self.place_of(location, key=key)
        if place is None:
            return Problem(self.name, None, None, message)
        return Problem(self.name, place.line, place.column, message)


def _step(current: Any, part: str | int) -> tuple[str | int, Any] | None:
    if isinstance(current, Mapping):
        if part in current:
            return part, current[part]
        # Integer mapping keys come back from pydantic as strings and vice versa.
        for candidate in (_as_int(part), str(part)):
            if candidate is not None and candidate in current:
                return candidate, current[candidate]
        return None
    if isinstance(current, Sequence) and not isinstance(current, str):
        index = _as_int(part)
        if index is not None and 0 <= index < len(current):
            return index, current[index]
    return None


def _as_int(value: str | int) -> int | None:
    if isinstance(value, int):
        return value
    try:
        return int(value)
    except ValueError:
        return None


def load_yaml_file(path: Path, *, within: Path | None = None) -> YamlDocument:
    """Read and safely parse a YAML file; problems name the file, line and column.

    The file must be a regular file within the size limit (and, with
    ``within``, inside that folder); see `klantladder.limits`.
    """
    name = str(path)
    data = read_input_bytes(path, limit=MAX_YAML_BYTES, what="a YAML file", within=within)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError.single(
            name, f"not UTF-8 text (byte {error.start}); save the file as UTF-8"
        ) from None
    return parse_yaml(text, name)


def parse_yaml(text: str, name: str) -> YamlDocument:
    """Parse YAML text safely into a `YamlDocument`, collecting every problem."""
    loader = _SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        raise InputError([_marked_problem(name, error)]) from None
    except yaml.YAMLError as error:
        raise InputError.single(name, f"YAML error: {error}") from None
    finally:
        loader.dispose()
    document = YamlDocument(name=name, data=None)
    if node is None:
        document.data = {}
        return document
    builder = _Builder(document, loader)
    document.data = builder.build(node, ())
    if builder.problems:
        raise InputError(builder.problems)
    return document


def _marked_problem(name: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    message = " ".join(part for part in (error.context, error.problem) if part) or str(error)
    if mark is None:
        return Problem(name, None, None, f"YAML error: {message}")
    return Problem(name, mark.line + 1, mark.column + 1, f"YAML syntax error: {message}")


class _Builder:
    """Turns a composed node tree into plain data, noting places and problems."""

    def __init__(self, document: YamlDocument, loader: yaml.SafeLoader | yaml.CSafeLoader) -> None:
        self.document = document
        self.loader = loader
        self.problems: list[Problem] = []
        self.nodes = 0

    def build(self, node: yaml.Node, location: Location) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise InputError.single(
                self.document.name,
                f"document has more than {MAX_NODES} nodes (are aliases nested too deep?)",
            )
        self.document.value_places[location] = _place(node.start_mark)
        if not isinstance(node, yaml.ScalarNode) and node.tag not in _PLAIN_COLLECTION_TAGS:
            self._add(node, f"refused: tag {node.tag!r} is not allowed")
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, location)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*location, i)) for i, item in enumerate(node.value)]
        return self._scalar(node)

    def _mapping(self, node: yaml.MappingNode, location: Location) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        self.loader.flatten_mapping(node)  # resolves "<<" merge keys safely
        for key_node, value_node in node.value:
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or not isinstance(key, str | int):
                self._add(key_node, "a mapping key must be a plain word or number")
                continue
            if key in result:
                self._add(key_node, f"duplicate key {key!r}")
                continue
            self.document.key_places[(*location, key)] = _place(key_node.start_mark)
            result[key] = self.build(value_node, (*location, key))
        return result

    def _scalar(self, node: yaml.Node) -> Any:
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            problem = error.problem or "cannot read this value"
            if "constructor for the tag" in problem:
                problem = f"tag {node.tag!r} is not allowed"
            self._add(node, f"refused: {problem}")
            return None

    def _add(self, node: yaml.Node, message: str) -> None:
        place = _place(node.start_mark)
        self.problems.append(Problem(self.document.name, place.line, place.column, message))


_PLAIN_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


def _place(mark: yaml.Mark) -> Place:
    return Place(mark.line + 1, mark.column + 1)
