"""The review page in a real headless Chromium, driven over the Chrome DevTools Protocol.

Loads a document page, clicks a finding with a real mouse event, and checks that the fact it is
about is highlighted, flashed and scrolled into view; takes a screenshot; checks that the page
asked for nothing but its own file (it works offline); checks that its Chinese labels are drawn as
glyphs with the page's font stack, not as tofu boxes (a CJK font is installed by `make browser`).
"""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from synthetic import make_db

from pipeline.review import write_corpus

websocket = pytest.importorskip("websocket")

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
    "--remote-allow-origins=*",
    "--remote-debugging-port=0",
    "--window-size=1280,900",
]


def _chromium() -> str | None:
    return next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)


class Browser:
    """A Chromium process and a DevTools connection to its page (a minimal CDP client)."""

    def __init__(self, binary: str, profile: Path) -> None:
        self.proc = subprocess.Popen(
            [binary, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port = self._port(profile / "DevToolsActivePort")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as resp:
            targets = json.load(resp)
        url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(url, timeout=30, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def _port(self, active_port: Path, timeout: float = 30.0) -> int:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if active_port.exists() and active_port.read_text().strip():
                return int(active_port.read_text().split()[0])
            if self.proc.poll() is not None:
                raise RuntimeError(f"chromium exited with {self.proc.returncode}")
            time.sleep(0.1)
        raise TimeoutError("chromium did not open its DevTools port")

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def js(self, expression: str) -> Any:
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def open(self, url: str, timeout: float = 30.0) -> None:
        self.call("Network.enable")
        self.call("Page.navigate", url=url)
        deadline = time.monotonic() + timeout
        while self.js("document.readyState") != "complete" or self.js("location.href") != url:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not load")
            time.sleep(0.1)

    def click(self, selector: str) -> None:
        """A real left click (mouse pressed and released) at the centre of the element."""
        box = self.js(f"JSON.stringify(document.querySelector({json.dumps(selector)}).getBoundingClientRect())")
        rect = json.loads(box)
        x, y = rect["x"] + rect["width"] / 2, rect["y"] + rect["height"] / 2
        for kind in ("mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)

    def close(self) -> None:
        self.ws.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


FACT_STATE = """(() => {
  const el = document.querySelector('.hl[data-f~="%s"]');
  const r = el.getBoundingClientRect();
  return {classes: Array.from(el.classList), top: r.top, bottom: r.bottom, left: r.left, right: r.right,
          height: window.innerHeight, width: window.innerWidth, scrollY: window.scrollY};
})()"""


def _in_view(state: dict[str, Any]) -> bool:
    return (
        state["top"] >= 0
        and state["bottom"] <= state["height"]
        and state["left"] >= 0
        and state["right"] <= state["width"]
    )


@pytest.fixture(scope="module")
def page(tmp_path_factory, samples_dir) -> Path:
    tmp = tmp_path_factory.mktemp("review")
    con, _, _ = make_db(samples_dir, tmp / "review.duckdb")
    written = write_corpus(con, tmp / "html")
    con.close()
    return next(p for p in written if p.name != "index.html")


@pytest.fixture
def browser(tmp_path):
    binary = _chromium()
    if binary is None:
        pytest.skip("chromium is not installed (`make test` installs it with apt)")
    b = Browser(binary, tmp_path / "profile")
    yield b
    b.close()


def test_click_finding_scrolls_fact_into_view(page, browser, tmp_path):
    url = page.as_uri()
    browser.open(url)

    before = browser.js(FACT_STATE % "m1")
    assert not _in_view(before), "the fact should start below the fold for the test to mean anything"
    assert "active" not in before["classes"]

    browser.click("#finding-1 .finding-link")  # warning about m1 (near the end of the text) and i3
    after = browser.js(FACT_STATE % "m1")
    assert {"hl", "active"} <= set(after["classes"])
    assert _in_view(after), after
    assert after["scrollY"] > before["scrollY"]
    assert browser.js("document.querySelectorAll('.active').length") >= 1

    browser.click("#finding-0 .finding-link")  # error about a1 (a table cell) and a2
    cell = browser.js(FACT_STATE % "a1")
    assert {"hl", "active"} <= set(cell["classes"])
    assert _in_view(cell), cell
    assert "active" not in browser.js(FACT_STATE % "m1")["classes"], "the previous finding's facts are cleared"

    shot = base64.b64decode(browser.call("Page.captureScreenshot", format="png")["data"])
    path = tmp_path / "review.png"
    path.write_bytes(shot)
    assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > 10_000

    requested = [
        e["params"]["request"]["url"] for e in browser.events if e.get("method") == "Network.requestWillBeSent"
    ]
    assert requested and all(u.startswith(("file:", "data:")) for u in requested), requested


def test_fact_link_in_the_facts_table_scrolls_back_to_the_source(page, browser):
    browser.open(page.as_uri())
    browser.js("document.getElementById('row-m1').scrollIntoView()")
    browser.click("#row-a2 a")
    state = browser.js(FACT_STATE % "a2")
    assert {"hl", "active"} <= set(state["classes"])
    assert _in_view(state), state


# Two different Chinese characters drawn on a canvas with the font of the findings heading: with a
# CJK font their pixels differ; without one both are the same tofu box (or nothing at all).
GLYPHS = """(() => {
  const heading = document.querySelector('aside h2');
  const font = getComputedStyle(heading).font;
  function ink(ch) {
    const c = document.createElement('canvas'); c.width = 48; c.height = 48;
    const g = c.getContext('2d'); g.font = font; g.fillStyle = '#000'; g.textBaseline = 'top';
    g.fillText(ch, 4, 4);
    return Array.from(g.getImageData(0, 0, 48, 48).data.filter((v, i) => i % 4 === 3)).join(',');
  }
  return {heading: heading.textContent, font: font, differ: ink('问') !== ink('题'), inked: ink('问') !== ink(' '),
          width: heading.getBoundingClientRect().width};
})()"""


def _cjk_font() -> bool:
    found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    return bool(found.stdout.strip())


def test_chinese_labels_are_drawn_as_glyphs(page, browser, tmp_path):
    if not _cjk_font():
        pytest.skip("no CJK font installed (`make browser` installs fonts-wqy-zenhei)")
    browser.open(page.as_uri())
    drawn = browser.js(GLYPHS)
    assert drawn["heading"] == "问题（3条）"
    assert "WenQuanYi Zen Hei" in drawn["font"] and "Noto Sans CJK SC" in drawn["font"]
    assert drawn["inked"] and drawn["differ"], drawn
    shot = base64.b64decode(browser.call("Page.captureScreenshot", format="png")["data"])
    (tmp_path / "review-zh.png").write_bytes(shot)  # the panel: 问题（3条）, 错误 …, 全部提取数据 in glyphs
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
