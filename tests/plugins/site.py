"""The bundled demo site served over HTTP on 127.0.0.1, for the tests that crawl.

``demo_site`` (one per session) yields the base URL (``http://127.0.0.1:<port>``, a str)
that also carries ``.site`` (the DemoSite: pages, ``publish_until``), ``.server`` (the
RouteServer with its request log) and ``.handle``. Tests must not change what the shared
site publishes; ``private_demo_site`` gives a test its own server to publish on.
"""

from __future__ import annotations

import pytest

from demo.httpd import RouteServer
from demo.server import DemoServer, start_demo_server
from demo.site import DemoSite


class DemoBase(str):
    """A demo server's base URL with the handle of the running server attached."""

    handle: DemoServer

    def __new__(cls, base_url: str, handle: DemoServer) -> "DemoBase":
        obj = super().__new__(cls, base_url)
        obj.handle = handle
        return obj

    @property
    def site(self) -> DemoSite:
        """The pages being served (and the publish switch)."""
        return self.handle.site

    @property
    def server(self):
        """The RouteServer, whose request log shows what a crawler asked for."""
        return self.handle.server

    def url(self, path: str) -> str:
        """Absolute URL of a site path."""
        return self.handle.url(path)


@pytest.fixture(scope="session")
def demo_site():
    """The shared demo site, everything published; stopped at the end of the session."""
    base_url, handle = start_demo_server(port=0)
    yield DemoBase(base_url, handle)
    handle.stop()


@pytest.fixture
def private_demo_site():
    """A demo site of this test's own, free to publish_until() and to count requests."""
    base_url, handle = start_demo_server(port=0)
    yield DemoBase(base_url, handle)
    handle.stop()


@pytest.fixture
def web():
    """A RouteServer on 127.0.0.1 for one test, with the routes the test sets (pipeline and fault suites)."""
    with RouteServer() as server:
        yield server
