"""Headless Chromium driven over the DevTools protocol: open a file, measure it, screenshot it.

The report carries a Content-Security-Policy that forbids scripts; DevTools evaluations are
the browser's own and run anyway, so a test can measure the page as a reader's browser lays
it out (its height, which fonts drew its Chinese) without the page itself running anything.
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import requests

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Headless, sandbox off (root), and none of Chromium's own network calls (this machine has no network).
HEADLESS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FLAGS = [
    *HEADLESS,
    "--hide-scrollbars",
    "--remote-debugging-port=0",
    "--remote-allow-origins=*",
]
WIDTH, HEIGHT = 1280, 900


class Browser:
    """One headless Chromium with one page, for the ``with`` block."""

    def __init__(self, profile: Path):
        if not Path(CHROMIUM).exists():
            pytest.skip("chromium missing: run scripts/install-system-deps.sh")
        self.profile, self.seq = profile, 0

    def __enter__(self) -> Browser:
        from websockets.sync.client import connect

        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = self._port()
        target = requests.put(f"http://127.0.0.1:{port}/json/new?about:blank", timeout=30).json()
        self.ws = connect(target["webSocketDebuggerUrl"], max_size=64 * 2**20, open_timeout=30)
        self.send("Page.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
        )
        return self

    def __exit__(self, *exc) -> None:
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            self.proc.wait(timeout=30)

    def _port(self) -> int:
        """The DevTools port Chromium chose, from the file it writes in its profile."""
        marker = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if marker.exists() and marker.read_text().strip():
                return int(marker.read_text().split()[0])
            if self.proc.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.proc.returncode}")
            time.sleep(0.1)
        raise TimeoutError("chromium did not open its DevTools port")

    def send(self, method: str, params: dict | None = None, wait_event: str | None = None) -> dict[str, Any]:
        """Call a DevTools method and return its result (after ``wait_event`` too, when named)."""
        self.seq += 1
        self.ws.send(json.dumps({"id": self.seq, "method": method, "params": params or {}}))
        result, seen_event = None, wait_event is None
        while result is None or not seen_event:
            message = json.loads(self.ws.recv(timeout=120))
            if message.get("id") == self.seq:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                result = message.get("result", {})
            elif message.get("method") == wait_event:
                seen_event = True
        return result

    def open(self, path: Path) -> None:
        """Load a file and wait for its load event."""
        self.send("Page.navigate", {"url": path.resolve().as_uri()}, wait_event="Page.loadEventFired")

    def evaluate(self, expression: str) -> Any:
        """A JavaScript expression's value in the page."""
        reply = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in reply:
            raise RuntimeError(reply["exceptionDetails"])
        return reply["result"].get("value")

    def height(self) -> int:
        """The laid-out page's height in CSS pixels."""
        return int(self.evaluate("document.documentElement.scrollHeight"))

    def screenshot(self, clip: dict | None = None) -> bytes:
        """A PNG of the viewport, or of ``clip`` (x, y, width, height in page pixels)."""
        params = {"format": "png"}
        if clip:
            params["clip"] = {**clip, "scale": 1}
        return base64.b64decode(self.send("Page.captureScreenshot", params)["data"])

    def text_png(self, text: str, font_size: int = 40) -> bytes:
        """A screenshot of ``text`` alone, set in the page's own font at the top left."""
        box = self.evaluate(f"""(() => {{
            let s = document.getElementById('__probe');
            if (!s) {{ s = document.createElement('span'); s.id = '__probe'; document.body.appendChild(s); }}
            s.style.cssText = 'position:fixed;left:0;top:0;z-index:99999;background:#fff;color:#000;' +
                              'font-size:{font_size}px;line-height:1.2;white-space:nowrap;padding:4px';
            s.textContent = {json.dumps(text)};
            const r = s.getBoundingClientRect();
            return {{x: r.x, y: r.y, width: Math.ceil(r.width), height: Math.ceil(r.height)}};
        }})()""")
        self.evaluate("window.scrollTo(0, 0)")
        return self.screenshot(box)

    def fonts_used(self, selector: str) -> dict[str, int]:
        """The fonts that drew the text of the first element matching ``selector``: family → glyphs."""
        self.send("DOM.enable")
        self.send("CSS.enable")
        root = self.send("DOM.getDocument", {"depth": 0})["root"]["nodeId"]
        node = self.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        fonts = self.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        return {f["familyName"]: int(f["glyphCount"]) for f in fonts}
