"""Serving the demo site over HTTP on 127.0.0.1, on top of demo/httpd.py's RouteServer.

Every page is answered by a ``Page`` with ETag and Last-Modified (so conditional GETs get
304), pages not (yet) published are 404, and the request log of the RouteServer is there
for tests that assert what a crawler asked for.

``start_demo_server(port=0)`` is what the demo flow, the tests and ``bulletins serve-demo``
(bulletins.cli.demo) call.
"""

from __future__ import annotations

from dataclasses import dataclass

from demo.httpd import Page, RequestRecord, Response, RouteServer, Status
from demo.site import DemoSite

LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class DemoServer:
    """A running demo site: the base URL, the pages behind it and the HTTP server's log."""

    base_url: str
    site: DemoSite
    server: RouteServer

    def url(self, path: str) -> str:
        """Absolute URL of a site path (``/gov/xxgk/dtxx/index.html``)."""
        return self.server.url(path)

    def stop(self) -> None:
        """Stop serving."""
        self.server.stop()


def _responder(site: DemoSite):
    """A fallback route: the site's published page at the request's path, else 404."""

    def respond(request: RequestRecord) -> Response:
        path = request.path.split("?", 1)[0].split("#", 1)[0]
        page = site.page(path)
        if page is None:
            return Status(404, f"not found: {path}\n".encode("utf-8"))
        return Page(
            page.body,
            content_type=page.content_type,
            charset_header=page.charset_header,
            etag=page.etag,
            last_modified=page.last_modified,
        )

    return respond


def start_demo_server(port: int = 0, host: str = "127.0.0.1", site: DemoSite | None = None) -> tuple[str, DemoServer]:
    """Start the demo site in a background thread; returns (base URL, handle with .stop())."""
    if host not in LOOPBACK:
        raise ValueError(f"the demo site only listens on loopback addresses, not {host!r}")
    site = site or DemoSite()
    server = RouteServer(host=host, port=port).fallback(_responder(site))
    base_url = server.start()
    return base_url, DemoServer(base_url, site, server)
