"""Check an image before the renderer decodes it: a PNG, JPEG or SVG within limits.

WeasyPrint drops an image it cannot read with only a log line, and it decodes
whatever it is given: a 140 KB PNG of 12,000 x 12,000 pixels takes 841 MB, a
2 KB SVG of nested ``<use>`` elements stalls the render for minutes. So every
image the report shows is read here first, from its header: the kind must be
what its name or media type says, the pixels at most `MAX_IMAGE_PIXELS`, and an
SVG at most `MAX_SVG_ELEMENTS` elements with every ``<use>`` and ``url(#id)``
expanded, `MAX_SVG_DEPTH` deep, with no DTD and no reference to anything
outside itself. A PNG or JPEG within the pixel limit is then decoded once, so a
truncated file is refused here and not silently dropped from the report.
"""

from __future__ import annotations

import io
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element, ParseError, XMLPullParser

from klantladder.limits import MAX_IMAGE_PIXELS, MAX_SVG_DEPTH, MAX_SVG_ELEMENTS

IMAGE_KINDS = {"png": "PNG", "jpeg": "JPEG", "svg": "SVG"}
_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_URL_REFERENCE = re.compile(r"url\(\s*['\"]?\s*([^'\")\s]*)", re.IGNORECASE)
_SVG_NAMESPACE = "{http://www.w3.org/2000/svg}"
_HREFS = ("href", "{http://www.w3.org/1999/xlink}href")


class ImageProblem(ValueError):
    """Why an image is refused, in words for the user."""


def image_kind(data: bytes) -> str | None:
    """``png``, ``jpeg`` or ``svg`` by the content, or None."""
    if data.startswith(_PNG):
        return "png"
    if data.startswith(_JPEG):
        return "jpeg"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--", b"<!doctype")) and (
        b"<svg" in data[:65536].lower()
    ):
        return "svg"
    return None


def check_image(data: bytes, expected: str | None = None) -> str:
    """Check an image's bytes; return its kind, or raise `ImageProblem` saying what is wrong.

    ``expected`` is the kind its name or media type promises (``png``, ``jpeg``, ``svg``).
    """
    if not data:
        raise ImageProblem("the image file is empty")
    kind = image_kind(data)
    if kind is None:
        start = data[:16].decode("ascii", "replace")
        raise ImageProblem(f"not a PNG, JPEG or SVG image (it starts with {start!r})")
    if expected is not None and kind != expected:
        raise ImageProblem(
            f"named as {IMAGE_KINDS.get(expected, expected)}, but it is a {IMAGE_KINDS[kind]} "
            f"image; give it the matching extension"
        )
    if kind == "svg":
        check_svg(data)
    else:
        _check_raster(data, kind)
    return kind


def _check_raster(data: bytes, kind: str) -> None:
    from PIL import ImageFile

    # WeasyPrint sets this on import, which would let a truncated file pass.
    truncated_allowed = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        _decode(data, kind)
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated_allowed


def _decode(data: bytes, kind: str) -> None:
    from PIL import Image

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's own bomb warning: we say it better
            with Image.open(io.BytesIO(data)) as image:  # reads the header only
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ImageProblem(
                        f"{width:,} x {height:,} pixels; an image may have at most "
                        f"{MAX_IMAGE_PIXELS:,} pixels (e.g. {_side():,} x {_side():,})"
                    )
                image.load()
    except ImageProblem:
        raise
    except Exception as error:  # Pillow raises many kinds for a broken file
        raise ImageProblem(f"a damaged {IMAGE_KINDS[kind]} image ({error})") from None


def _side() -> int:
    return int(MAX_IMAGE_PIXELS**0.5)


@dataclass
class SvgShape:
    """The elements of one SVG document with their ids and references, in document order."""

    parents: list[int] = field(default_factory=list)  # -1 for the root
    ids: dict[str, int] = field(default_factory=dict)
    references: dict[int, list[str]] = field(default_factory=dict)
    outside: list[str] = field(default_factory=list)  # references that leave the document
    depth: int = 0
    deepest: int = 0
    open: list[int] = field(default_factory=list)

    def start(self, attributes: Iterable[tuple[str, str]], style: str = "") -> None:
        """An element opens."""
        index = len(self.parents)
        self.parents.append(self.open[-1] if self.open else -1)
        self.open.append(index)
        self.deepest = max(self.deepest, len(self.open))
        if len(self.open) > MAX_SVG_DEPTH:
            raise ImageProblem(f"the SVG nests more than {MAX_SVG_DEPTH} elements deep")
        if len(self.parents) > MAX_SVG_ELEMENTS:
            raise ImageProblem(f"the SVG has more than {MAX_SVG_ELEMENTS:,} elements")
        texts = [style]
        for name, value in attributes:
            if name == "id":
                self.ids.setdefault(value, index)
            elif name in _HREFS or name.endswith(":href"):
                self._reference(index, value.strip())
            else:
                texts.append(value)
        for text in texts:
            for target in _URL_REFERENCE.findall(text):
                self._reference(index, target)

    def text(self, content: str) -> None:
        """Text inside the open element (a ``<style>`` sheet may hold ``url()``)."""
        if self.open:
            for target in _URL_REFERENCE.findall(content):
                self._reference(self.open[-1], target)

    def end(self) -> None:
        """The open element closes."""
        if self.open:
            self.open.pop()

    def _reference(self, index: int, target: str) -> None:
        if target.startswith("#"):
            self.references.setdefault(index, []).append(target[1:])
        elif target:
            self.outside.append(target)

    def check(self) -> None:
        """Refuse outside references, and more than `MAX_SVG_ELEMENTS` once references expand."""
        if self.outside:
            shown = self.outside[0][:80]
            raise ImageProblem(
                f"the SVG refers to {shown!r}; an SVG in the report may only refer to its own "
                f"elements (#id)"
            )
        if self.references and self.expanded() > MAX_SVG_ELEMENTS:
            raise ImageProblem(
                f"the SVG draws more than {MAX_SVG_ELEMENTS:,} elements once its <use> and "
                f"url(#...) references are expanded"
            )

    def expanded(self) -> int:
        """Elements drawn with every reference expanded (a reference cycle counts as too many)."""
        children: list[list[int]] = [[] for _ in self.parents]
        for index, parent in enumerate(self.parents):
            if parent >= 0:
                children[parent].append(index)
        sizes: dict[int, int] = {}
        roots = [index for index, parent in enumerate(self.parents) if parent < 0]
        total = 0
        for root in roots:
            total += self._size(root, children, sizes)
            if total > MAX_SVG_ELEMENTS:
                break
        return total

    def _size(self, start: int, children: list[list[int]], sizes: dict[int, int]) -> int:
        # Iterative post-order: reference chains can be far deeper than Python recursion.
        visiting: set[int] = set()
        stack: list[tuple[int, bool]] = [(start, False)]
        while stack:
            index, done = stack.pop()
            if index in sizes:
                continue
            nested = children[index] + [
                self.ids[name] for name in self.references.get(index, ()) if name in self.ids
            ]
            if done:
                visiting.discard(index)
                size = 1 + sum(sizes[item] for item in nested)
                sizes[index] = min(size, MAX_SVG_ELEMENTS + 1)
                continue
            if index in visiting:
                return MAX_SVG_ELEMENTS + 1  # a reference cycle
            visiting.add(index)
            stack.append((index, True))
            for item in nested:
                if item in visiting:
                    return MAX_SVG_ELEMENTS + 1
                if item not in sizes:
                    stack.append((item, False))
        return sizes[start]


def check_svg(data: bytes) -> None:
    """Refuse a DTD, malformed XML, and an SVG past the element, depth or reference limits."""
    # A DOCTYPE naming the SVG DTD is common and harmless (nothing fetches it);
    # an internal subset can declare entities that expand without end.
    lowered = data.lower()
    doctype = lowered.find(b"<!doctype")
    if b"<!entity" in lowered or (
        doctype >= 0 and b"[" in lowered[doctype : lowered.find(b">", doctype)]
    ):
        raise ImageProblem("the SVG declares entities in its DOCTYPE; an SVG image needs none")
    shape = SvgShape()
    parser: Any = XMLPullParser(events=("start", "end"))
    try:
        for offset in range(0, len(data), 65536):
            parser.feed(data[offset : offset + 65536])
            for event, element in parser.read_events():
                _svg_event(shape, event, element)
        parser.close()
    except ParseError as error:
        line, column = error.position
        reason = str(error).rsplit(": line ", 1)[0]
        raise ImageProblem(
            f"a malformed SVG (line {line}, column {column + 1}): {reason}"
        ) from None
    shape.check()


def _svg_event(shape: SvgShape, event: str, element: Element) -> None:
    if event == "start":
        if not shape.parents and element.tag not in (f"{_SVG_NAMESPACE}svg", "svg"):
            raise ImageProblem(f"not an SVG image (its root is <{element.tag}>)")
        shape.start(element.attrib.items())
        return
    if element.text:
        shape.text(element.text)
    shape.end()
    element.clear()
