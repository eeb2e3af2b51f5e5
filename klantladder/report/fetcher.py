"""The only way WeasyPrint may read anything: packaged assets and one logo.

Everything else — other files, http(s), ftp, redirects — is refused, and the
refusal stops the rendering: a template that points elsewhere is a mistake to
report, not a fetch to attempt. Respondents' text never becomes markup (Jinja
autoescapes it), so it cannot ask for anything in the first place.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

MAX_ASSET_BYTES = 20 * 1024 * 1024


class RefusedURLError(Exception):
    """A URL outside the allowed set was requested."""

    def __init__(self, url: str, reason: str) -> None:
        self.url = url
        self.reason = reason
        super().__init__(f"refused to fetch {url}: {reason}")


class SafeFetcher(URLFetcher):  # type: ignore[misc]
    """Serve ``data:`` URLs, files inside the allowed folders, and the allowed files."""

    def __init__(self, folders: Iterable[Path], files: Iterable[Path] = ()) -> None:
        # fail_on_errors turns every refusal into an error that stops rendering.
        super().__init__(
            allowed_protocols=("file", "data"), allow_redirects=False, fail_on_errors=True
        )
        self.folders = tuple(folder.resolve() for folder in folders)
        self.files = frozenset(path.resolve() for path in files)
        self.fetched: list[str] = []

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        """Return the resource at ``url`` if it is allowed; raise `RefusedURLError` otherwise."""
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise RefusedURLError(
                url, f"the report renderer does not fetch {scheme or 'relative'} URLs"
            )
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not self._allowed(path):
            raise RefusedURLError(url, "only the packaged assets and the brand's logo may be used")
        if not path.is_file():
            raise RefusedURLError(url, "no such file")
        if path.stat().st_size > MAX_ASSET_BYTES:
            raise RefusedURLError(url, "file is too large")
        self.fetched.append(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def _allowed(self, path: Path) -> bool:
        return path in self.files or any(path.is_relative_to(folder) for folder in self.folders)
