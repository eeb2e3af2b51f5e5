"""Safe YAML loading that remembers where every key and value came from.

`klantladder.yamlcompose` builds a node tree with line and column marks,
within limits of depth and size; we construct plain Python data from it with
the *safe* constructor only, and only for plain tags, so a tag such as
``!!python/object/apply`` is refused, never run. The marks let every
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
from klantladder.limits import MAX_YAML_BYTES, read_input_text
from klantladder.yamlcompose import compose

Location = tuple[str | int, ...]


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


def load_yaml_file(
    path: Path,
    *,
    within: Path | None = None,
    limit: int = MAX_YAML_BYTES,
    what: str = "a YAML file",
) -> YamlDocument:
    """Read and safely parse a YAML file; problems name the file, line and column.

    The file must be a regular file within ``limit`` bytes (and, with
    ``within``, inside that folder); see `klantladder.limits`.
    """
    text = read_input_text(path, limit=limit, what=what, within=within)
    return parse_yaml(text, str(path))


def parse_yaml(text: str, name: str) -> YamlDocument:
    """Parse YAML text safely into a `YamlDocument`, collecting every problem.

    The document is composed within the limits of `klantladder.yamlcompose`
    (depth, values with aliases expanded) before any value is built.
    """
    node, loader = compose(text, name)
    try:
        document = YamlDocument(name=name, data=None)
        if node is None:
            document.data = {}
            return document
        builder = _Builder(document, loader)
        document.data = builder.build(node, ())
    finally:
        loader.dispose()
    if builder.problems:
        raise InputError(builder.problems)
    return document


# Past this many problems in one file the rest are not collected (they are
# almost always one mistake repeated); the CLI shows the first ones.
_MAX_PROBLEMS_KEPT = 10_000
_MERGE_TAG = "tag:yaml.org,2002:merge"
_PLAIN_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
_PLAIN_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{kind}" for kind in ("null", "bool", "int", "float", "str", "timestamp")
)


class _Builder:
    """Turns a composed node tree into plain data, noting places and problems.

    The tree is within the composer's limits, so building it (aliases
    expanded) touches at most `MAX_YAML_NODES` nodes at most `MAX_YAML_DEPTH` deep.
    """

    def __init__(self, document: YamlDocument, loader: yaml.SafeLoader) -> None:
        self.document = document
        self.loader = loader
        self.problems: list[Problem] = []

    def build(self, node: yaml.Node, location: Location) -> Any:
        self.document.value_places[location] = _place(node.start_mark)
        if isinstance(node, yaml.MappingNode) and node.tag in _PLAIN_COLLECTION_TAGS:
            return self._mapping(node, location)
        if isinstance(node, yaml.SequenceNode) and node.tag in _PLAIN_COLLECTION_TAGS:
            return [self.build(item, (*location, i)) for i, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node)
        self._add(node, f"refused: tag {node.tag!r} is not allowed")
        return None

    def _mapping(self, node: yaml.MappingNode, location: Location) -> dict[Any, Any]:
        """A mapping; ``<<`` merge keys take keys from other mappings (YAML 1.1).

        Keys written in the mapping win over merged ones, and an earlier merged
        mapping wins over a later one. Only a key written twice is a problem.
        """
        merged: dict[Any, Any] = {}
        written: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _MERGE_TAG:
                for key, value in self._merge_sources(value_node, location).items():
                    merged.setdefault(key, value)
                continue
            key = self._scalar(key_node) if isinstance(key_node, yaml.ScalarNode) else None
            if key is None or not isinstance(key, str | int):
                self._add(key_node, "a mapping key must be a plain word or number")
                continue
            if key in written:
                self._add(key_node, f"duplicate key {key!r}")
                continue
            self.document.key_places[(*location, key)] = _place(key_node.start_mark)
            written[key] = self.build(value_node, (*location, key))
        self.document.value_places[location] = _place(node.start_mark)
        return {**merged, **written}

    def _merge_sources(self, node: yaml.Node, location: Location) -> dict[Any, Any]:
        sources = node.value if isinstance(node, yaml.SequenceNode) else [node]
        result: dict[Any, Any] = {}
        for source in sources:
            if not isinstance(source, yaml.MappingNode):
                self._add(source, "a merge key (<<) takes a mapping or a list of mappings")
                continue
            for key, value in self.build(source, location).items():
                result.setdefault(key, value)
        return result

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag not in _PLAIN_SCALAR_TAGS:
            self._add(node, f"refused: tag {node.tag!r} is not allowed")
            return None
        try:
            return self.loader.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError as error:
            self._add(node, f"refused: {error.problem or 'cannot read this value'}")
        except (ValueError, OverflowError) as error:
            if node.tag.endswith(":timestamp"):
                message = (
                    f"{node.value!r} is not a real date or time ({error}); quote it if it is text"
                )
            else:  # an integer of more digits than Python converts
                message = "a number too long to read; quote it if it is text"
            self._add(node, message)
        return None

    def _add(self, node: yaml.Node, message: str) -> None:
        if len(self.problems) < _MAX_PROBLEMS_KEPT:
            place = _place(node.start_mark)
            self.problems.append(Problem(self.document.name, place.line, place.column, message))


def _place(mark: yaml.Mark) -> Place:
    return Place(mark.line + 1, mark.column + 1)
