"""Compose a YAML node graph from parser events, within stated limits.

PyYAML's own composer is recursive (libyaml's C composer overflows the C
stack at about 100,000 nested brackets, the Python one raises RecursionError
at a thousand) and it hands aliases on as shared nodes whose expansion nobody
counts, so a 500-byte file of nested merge keys (``<<: [*m, *m, ...]``)
expands to gigabytes before any check. This composer reads the parser's
events in a loop instead and, for every node, knows the depth and the number
of nodes it stands for once every alias in it is expanded. A document deeper
than `MAX_DEPTH` or larger than `MAX_NODES` (aliases expanded) is refused at
the event that crosses the line, before anything is built, with its line and
column. libyaml's parser itself keeps its stacks on the heap, and we stop
reading its events at the first one too deep, so it never sees the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.nodes import CollectionNode, MappingNode, Node, ScalarNode, SequenceNode

from klantladder.errors import InputError, Problem
from klantladder.limits import MAX_YAML_DEPTH as MAX_DEPTH
from klantladder.limits import MAX_YAML_NODES as MAX_NODES

# libyaml's parser when PyYAML was built with it (about twenty times faster);
# both are safe: only the safe constructor ever builds values.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class _Open:
    """A collection whose end event has not come yet."""

    node: CollectionNode
    anchor: str | None
    size: int = 1  # this node and everything in it, aliases expanded
    height: int = 1  # levels from this node down, aliases expanded
    key: Node | None = None  # a mapping's key waiting for its value


@dataclass
class _Anchored:
    node: Node
    size: int
    height: int


@dataclass
class _Composer:
    name: str
    text: str
    loader: Any  # PyYAML's loaders are untyped
    anchors: dict[str, _Anchored | None] = field(default_factory=dict)  # None: still open
    stack: list[_Open] = field(default_factory=list)
    total: int = 0  # nodes in the document, aliases expanded

    def document(self) -> Node | None:
        """The single document of the stream, or None for an empty one."""
        root: Node | None = None
        seen_document = False
        while True:
            event = self._next()
            if isinstance(event, StreamEndEvent):
                return root
            if isinstance(event, DocumentStartEvent):
                if seen_document:
                    raise self._refuse(
                        event, "expected a single document, but found another document"
                    )
                seen_document = True
                continue
            node = self._node(event)
            if node is not None and not self.stack:
                root = node

    def _next(self) -> Any:
        return self.loader.get_event()

    def _node(self, event: Any) -> Node | None:
        """Handle one event; return a node when one is complete."""
        if isinstance(event, SequenceStartEvent | MappingStartEvent):
            self._open(event)
            return None
        if isinstance(event, SequenceEndEvent | MappingEndEvent):
            return self._close(event)
        if isinstance(event, ScalarEvent):
            tag = event.tag
            if tag is None or tag == "!":
                tag = self.loader.resolve(ScalarNode, event.value, event.implicit)
            marks: tuple[Any, Any] = (event.start_mark, event.end_mark)
            node = ScalarNode(tag, event.value, *marks, style=event.style)
            self._count(event, 1)
            if event.anchor is not None:
                self._anchor(event, event.anchor, _Anchored(node, 1, 1))
            self._attach(node, 1, 1)
            return node
        if isinstance(event, AliasEvent):
            if event.anchor not in self.anchors:
                raise self._refuse(event, f"alias *{event.anchor} names no anchor before it")
            anchored = self.anchors[event.anchor]
            if anchored is None:
                raise self._refuse(event, f"alias *{event.anchor} lies inside its own anchor")
            self._count(event, anchored.size)
            if len(self.stack) + anchored.height > MAX_DEPTH:
                raise self._refuse(event, _too_deep())
            self._attach(anchored.node, anchored.size, anchored.height)
            return anchored.node
        return None  # stream and document markers

    def _open(self, event: Any) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise self._refuse(event, _too_deep())
        self._count(event, 1)
        tag = event.tag
        kind: type[SequenceNode] | type[MappingNode] = (
            SequenceNode if isinstance(event, SequenceStartEvent) else MappingNode
        )
        if tag is None or tag == "!":
            tag = self.loader.resolve(kind, None, event.implicit)
        node = kind(tag, [], event.start_mark, None, flow_style=event.flow_style)
        if event.anchor is not None:
            self._anchor(event, event.anchor, None)
        self.stack.append(_Open(node, event.anchor))

    def _close(self, event: Any) -> Node:
        done = self.stack.pop()
        done.node.end_mark = event.end_mark
        if done.anchor is not None:
            self.anchors[done.anchor] = _Anchored(done.node, done.size, done.height)
        self._attach(done.node, done.size, done.height)
        return done.node

    def _attach(self, node: Node, size: int, height: int) -> None:
        if not self.stack:
            return
        parent = self.stack[-1]
        parent.size += size
        parent.height = max(parent.height, height + 1)
        if isinstance(parent.node, SequenceNode):
            parent.node.value.append(node)
        elif parent.key is None:
            parent.key = node
        else:
            parent.node.value.append((parent.key, node))
            parent.key = None

    def _anchor(self, event: Event, anchor: str, anchored: _Anchored | None) -> None:
        if anchor in self.anchors:
            raise self._refuse(event, f"anchor &{anchor} is defined twice")
        self.anchors[anchor] = anchored

    def _count(self, event: Event, size: int) -> None:
        self.total += size
        if self.total > MAX_NODES:
            raise self._refuse(
                event,
                f"the document grows past {MAX_NODES:,} values here (aliases counted as "
                f"often as they are used); refused",
            )

    def _refuse(self, event: Any, message: str) -> InputError:
        mark = event.start_mark
        return InputError.single(self.name, message, mark.line + 1, mark.column + 1)


def _too_deep() -> str:
    return f"nested more than {MAX_DEPTH} levels deep (aliases expanded); refused"


def compose(text: str, name: str) -> tuple[Node | None, Any]:
    """The node graph of the single document in ``text`` and the loader that read it.

    Raises `InputError` for a syntax error or a document past the limits; the
    caller constructs values with the loader's safe constructor and disposes it.
    """
    loader = SafeLoader(text)
    try:
        return _Composer(name, text, loader).document(), loader
    except yaml.MarkedYAMLError as error:
        loader.dispose()
        raise InputError([_marked_problem(name, error)]) from None
    except yaml.reader.ReaderError as error:
        loader.dispose()
        line, column = _line_column(text, error.position)
        character = error.character
        shown = f"#x{character:04x}" if isinstance(character, int) else repr(character)
        message = f"character {shown} is not allowed in YAML ({error.reason})"
        raise InputError.single(name, message, line, column) from None
    except yaml.YAMLError as error:
        loader.dispose()
        raise InputError.single(name, f"YAML error: {error}") from None
    except InputError:
        loader.dispose()
        raise


def _marked_problem(name: str, error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    message = " ".join(part for part in (error.context, error.problem) if part) or str(error)
    if mark is None:
        return Problem(name, None, None, f"YAML error: {message}")
    return Problem(name, mark.line + 1, mark.column + 1, f"YAML syntax error: {message}")


def _line_column(text: str, position: int) -> tuple[int, int]:
    # libyaml counts bytes of the UTF-8 text, PyYAML's reader characters.
    before = text.encode("utf-8")[:position].decode("utf-8", "ignore")
    if SafeLoader is yaml.SafeLoader:
        before = text[:position]
    line = before.count("\n") + 1
    return line, len(before) - (before.rfind("\n") + 1) + 1
