"""What a report's HTML may refer to, checked before it is rendered or written.

One policy for the PDF and the self-contained HTML report:

* ``data:`` URLs are allowed; an image in one must pass the checks of
  `klantladder.report.images` (kind, pixels, SVG complexity);
* ``#fragment`` links within the document are allowed;
* in the PDF, files are served by `klantladder.report.fetcher.SafeFetcher`
  (packaged assets and the brand's logo only); in the HTML, which must open the
  same anywhere, a file or relative URL is refused: everything is embedded;
* any other URL (``http:``, ``https:``, ``ftp:``, ...) is refused in both.

`check_html` finds every URL the renderer or a browser would load: ``src``,
``srcset``, ``href`` of stylesheets, SVG ``<image>``/``<use>`` and
attachments, ``data``, ``poster``, ``background``, ``url()`` and ``@import``
in style sheets and ``style`` attributes. It also checks each inline
``<svg>`` as an SVG image is checked (elements with references expanded, depth).
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Literal
from urllib.parse import unquote, unquote_to_bytes, urlsplit

from klantladder.errors import RenderError
from klantladder.report.images import ImageProblem, SvgShape, check_image

IMAGE_TYPES = {"image/png": "png", "image/jpeg": "jpeg", "image/svg+xml": "svg"}
Target = Literal["pdf", "html"]

# Attributes whose value a renderer or browser loads, whatever the element.
_RESOURCE_ATTRIBUTES = frozenset({"src", "data", "poster", "background", "xlink:href"})
# Elements whose href is loaded, not followed.
_HREF_LOADED = frozenset({"link", "image", "use", "feimage", "base", "script"})
# CSS functions whose bare strings are image URLs.
_IMAGE_FUNCTIONS = frozenset({"image-set", "-webkit-image-set", "image", "cross-fade"})


class RefusedURLError(Exception):
    """A URL outside the allowed set was requested."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url if len(url) <= 100 else url[:80] + "…"
        self.reason = reason
        super().__init__(f"refused to fetch {self.url}: {reason}")


def decode_data_url(url: str) -> tuple[str, bytes]:
    """The media type and bytes of a ``data:`` URL; `RefusedURLError` if it is malformed."""
    header, comma, payload = url[5:].partition(",")
    if not comma:
        raise RefusedURLError(url, "a data: URL without a comma")
    parts = header.split(";")
    media_type = (parts[0] or "text/plain").strip().lower()
    try:
        if "base64" in (part.strip().lower() for part in parts[1:]):
            data = base64.b64decode(unquote(payload), validate=False)
        else:
            data = unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        raise RefusedURLError(url, "a data: URL that is not valid base64") from None
    return media_type, data


def check_image_bytes(url: str, media_type: str, data: bytes) -> None:
    """Refuse an image that `klantladder.report.images` refuses; other types pass."""
    if not media_type.startswith("image/"):
        return
    expected = IMAGE_TYPES.get(media_type)
    if expected is None:
        raise RefusedURLError(url, f"{media_type} images are not used; use PNG, JPEG or SVG")
    try:
        check_image(data, expected)
    except ImageProblem as problem:
        raise RefusedURLError(url, str(problem)) from None


LocalCheck = Callable[[str], None]


def check_url(url: str, target: Target, local: LocalCheck | None = None) -> None:
    """Apply the policy to one URL the document loads.

    In the PDF, ``local`` judges a file or relative URL (the fetcher's rule).
    """
    url = url.strip()
    if not url or url.startswith("#"):
        return
    scheme = urlsplit(url).scheme.lower()
    if scheme == "data":
        if url[5:].lstrip().lower().startswith("image/"):  # only images need decoding
            media_type, data = decode_data_url(url)
            check_image_bytes(url, media_type, data)
        return
    if target == "pdf" and scheme in ("", "file"):
        if local is not None:
            local(url)
        return
    if target == "html":
        raise RefusedURLError(
            url, "a self-contained HTML report embeds everything it shows (data: URLs only)"
        )
    raise RefusedURLError(url, f"the report renderer does not fetch {scheme} URLs")


def check_html(html: str, target: Target, local: LocalCheck | None = None) -> None:
    """Refuse HTML that loads a URL outside the policy or holds an inline SVG past the limits.

    Raises `RenderError` naming the first URL refused.
    """
    scanner = _Scanner(target, local)
    try:
        scanner.feed(html)
        scanner.close()
        for shape in scanner.finished_svgs:
            shape.check()
    except RefusedURLError as error:
        raise RenderError(f"the report template asks for {error.url}: {error.reason}") from None
    except ImageProblem as problem:
        raise RenderError(f"an inline <svg> in the report template: {problem}") from None


class _Scanner(HTMLParser):
    def __init__(self, target: Target, local: LocalCheck | None) -> None:
        super().__init__(convert_charrefs=True)
        self.target = target
        self.local = local
        self.in_style = False
        self.svg: SvgShape | None = None
        self.svg_tags: list[str] = []
        self.finished_svgs: list[SvgShape] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = [(name, value) for name, value in attrs if value is not None]
        rel = next((value for name, value in values if name == "rel"), "").lower()
        for name, value in values:
            loaded = name in _RESOURCE_ATTRIBUTES or (
                name == "href" and (tag in _HREF_LOADED or "attachment" in rel)
            )
            if loaded:
                check_url(value, self.target, self.local)
            elif name in ("srcset", "imagesrcset"):
                for candidate in value.split(","):
                    if candidate.strip():
                        check_url(candidate.split()[0], self.target, self.local)
            elif name == "style":
                self._css(value)
            elif name == "srcdoc":
                check_html(value, self.target, self.local)
        if tag == "style":
            self.in_style = True
        if tag == "svg" and self.svg is None:
            self.svg = SvgShape()
        if self.svg is not None:
            self.svg.start(values)
            self.svg_tags.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False
        if self.svg is None or tag not in self.svg_tags:
            return
        while self.svg_tags:  # close what the markup left open, up to this element
            self.svg.end()
            if self.svg_tags.pop() == tag:
                break
        if not self.svg_tags:
            self.finished_svgs.append(self.svg)
            self.svg = None

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self._css(data)
            if self.svg is not None:
                self.svg.text(data)

    def _css(self, css: str) -> None:
        for url in css_urls(css):
            check_url(url, self.target, self.local)


def css_urls(css: str) -> list[str]:
    """Every URL a style sheet loads: ``url()``, ``@import`` and image functions."""
    import tinycss2  # type: ignore[import-untyped]

    found: list[str] = []
    pending = [tinycss2.parse_component_value_list(css)]
    while pending:  # iterative: nested blocks can be deep
        tokens = pending.pop()
        importing = False
        for token in tokens:
            kind = token.type
            if kind == "url":
                found.append(token.value)
            elif kind == "at-keyword":
                importing = token.lower_value == "import"
                continue
            elif kind == "string" and importing:
                found.append(token.value)
            elif kind == "function":
                if token.lower_name == "url" or token.lower_name in _IMAGE_FUNCTIONS:
                    found += [arg.value for arg in token.arguments if arg.type == "string"]
                pending.append(token.arguments)
            elif kind in ("() block", "[] block", "{} block"):
                pending.append(token.content)
            if kind not in ("whitespace", "comment"):
                importing = False
    return found
