"""The only way WeasyPrint may read anything: packaged assets and one logo.

Everything else — other files, http(s), ftp, redirects — is refused, and the
refusal stops the rendering: a template that points elsewhere is a mistake to
report, not a fetch to attempt. Respondents' text never becomes markup (Jinja
autoescapes it), so it cannot ask for anything in the first place. Every image
served, from a file or a ``data:`` URL, is checked by
`klantladder.report.images` first, so none can stall or bloat the render. The
same policy for the self-contained HTML is in `klantladder.report.urlpolicy`.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from klantladder.errors import InputError
from klantladder.limits import MAX_ASSET_BYTES, read_input_bytes
from klantladder.report.urlpolicy import RefusedURLError, check_image_bytes, decode_data_url

__all__ = ["MAX_ASSET_BYTES", "RefusedURLError", "SafeFetcher"]


class SafeFetcher(URLFetcher):  # type: ignore[misc]
    """Serve ``data:`` URLs, files inside the allowed folders, and the allowed files."""

    def __init__(
        self, folders: Iterable[Path], files: Iterable[Path] = (), base_url: str | None = None
    ) -> None:
        # fail_on_errors turns every refusal into an error that stops rendering.
        super().__init__(
            allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=True
        )
        self.folders = tuple(folder.resolve() for folder in folders)
        self.files = frozenset(path.resolve() for path in files)
        self.base_url = base_url
        self.fetched: list[str] = []

    def check_local(self, url: str) -> None:
        """Refuse a file or relative URL that `fetch` would refuse, without reading it."""
        absolute = urljoin(self.base_url or "", url)
        if urlsplit(absolute).scheme.lower() != "file":
            raise RefusedURLError(url, "the report renderer does not fetch relative URLs")
        path = Path(unquote(urlsplit(absolute).path)).resolve()
        if not self._allowed(path):
            raise RefusedURLError(url, "only the packaged assets and the brand's logo may be used")

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Return the resource at ``url`` if it is allowed; raise `RefusedURLError` otherwise."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            media_type, data = decode_data_url(url)
            check_image_bytes(url, media_type, data)
            return URLFetcherResponse(url, data, {"Content-Type": media_type})
        if scheme != "file":
            raise RefusedURLError(
                url, f"the report renderer does not fetch {scheme or 'relative'} URLs"
            )
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not self._allowed(path):
            raise RefusedURLError(url, "only the packaged assets and the brand's logo may be used")
        if not path.is_file():
            raise RefusedURLError(url, "no such file")
        try:
            data = read_input_bytes(path, limit=MAX_ASSET_BYTES, what="an asset")
        except InputError as error:
            raise RefusedURLError(url, error.problems[0].message) from None
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        check_image_bytes(url, content_type, data)
        self.fetched.append(url)
        return URLFetcherResponse(url, data, {"Content-Type": content_type})

    def _allowed(self, path: Path) -> bool:
        return path in self.files or any(path.is_relative_to(folder) for folder in self.folders)
