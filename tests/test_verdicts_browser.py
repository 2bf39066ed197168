"""The editors' verdict buttons in a real headless Chromium, driven through the DevTools protocol over a
pipe (no network, no extra package): click, note, reload from file://, download verdicts.json, and the next
run given that file dismisses the flag."""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from backtrans.cli.commands import main

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install -y chromium); .ci/run installs it"
)
ROOT = Path(__file__).resolve().parent.parent


class Browser:
    """Headless Chromium with ``--remote-debugging-pipe``: commands on fd 3, answers on fd 4 (NUL-separated JSON)."""

    def __init__(self, profile: Path) -> None:
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()
        # copies numbered 10 and above, so that moving them to 3 and 4 in the child clobbers neither
        high = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_child_r, from_child_w)]

        def child() -> None:
            os.dup2(high[0], 3)
            os.dup2(high[1], 4)

        self.proc = subprocess.Popen(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-pipe",
                f"--user-data-dir={profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4, *high),
            preexec_fn=child,
        )
        for fd in (to_child_r, from_child_w, *high):
            os.close(fd)
        self.buffer = b""
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self.to_child, json.dumps(message).encode("utf-8") + b"\0")
        deadline = time.monotonic() + 60
        while True:
            answer = self._read(deadline)
            if answer.get("id") == self.next_id:
                assert "error" not in answer, answer
                return dict(answer.get("result", {}))
            self.events.append(answer)

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self.buffer:
            ready, _, _ = select.select([self.from_child], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, "chromium did not answer in time"
            chunk = os.read(self.from_child, 1 << 16)
            assert chunk, "chromium closed the pipe"
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return dict(json.loads(raw))

    def open(self, url: str) -> str:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        self.send("Page.enable", session=session)
        self.navigate(session, url)
        return str(session)

    def navigate(self, session: str, url: str) -> None:
        self.send("Page.navigate", {"url": url}, session)
        self.wait_for(
            session, "document.readyState === 'complete' && document.documentElement.classList.contains('js')"
        )

    def run(self, session: str, expression: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def wait_for(self, session: str, expression: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if self.run(session, expression):
                    return
            except AssertionError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"timed out waiting for {expression}")

    def close(self) -> None:
        with contextlib.suppress(AssertionError, OSError):
            self.send("Browser.close")
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_child)
        os.close(self.from_child)


@pytest.fixture
def browser(tmp_path: Path) -> Any:
    found = Browser(tmp_path / "profile")
    yield found
    found.close()


def score(out: Path, *extra: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(["score", str(ROOT / "examples" / "semarang-flood"), "--out", str(out), "--quiet", *extra])
    assert info.value.code == 0


STATE = """JSON.stringify(Array.from(document.querySelectorAll('table.flagged-list .verdict')).map(function (el) {
  return [el.getAttribute('data-code'), el.getAttribute('data-vlang'),
          Array.from(el.querySelectorAll('button.on')).map(function (b) { return b.getAttribute('data-verdict'); }),
          el.querySelector('input').value];
}))"""


def click(lang: str, code: str, verdict: str) -> str:
    return (
        f'document.querySelector(\'table.flagged-list .verdict[data-vlang="{lang}"][data-code="{code}"] '
        f'button[data-verdict="{verdict}"]\').click(); true'
    )


def test_verdict_buttons_survive_a_reload_and_download_as_verdicts_json(browser: Browser, tmp_path: Path) -> None:
    """Click "not an error" with a note and "error" on another flag; reload: both are still marked; "Download
    verdicts" saves verdicts.json with both; the next run given it dismisses the first flag, and only it."""
    out = tmp_path / "out"
    score(out, "--glossary", str(ROOT / "examples" / "glossary.csv"))
    page = (out / "report.html").as_uri()
    session = browser.open(page)
    assert browser.run(session, "document.getElementById('verdict-count').textContent") == "no verdicts yet"
    rows = json.loads(browser.run(session, STATE))
    assert ["fr", "glossary_term"] in [[lang, code] for code, lang, _, _ in rows]
    assert all(on == [] for _, _, on, _ in rows)

    browser.run(session, click("fr", "glossary_term", "not_error"))
    browser.run(
        session,
        'var n = document.querySelector(\'table.flagged-list .verdict[data-vlang="fr"][data-code="glossary_term"] '
        "input'); n.value = 'house style on a second mention'; n.dispatchEvent(new Event('change')); true",
    )
    browser.run(session, click("en", "number_mismatch", "error"))
    browser.run(session, click("ja", "added", "error"))
    browser.run(session, click("ja", "added", "error"))  # pressed again: the verdict is taken back
    assert (
        browser.run(session, "document.getElementById('verdict-count').textContent") == "2 verdict(s) in this browser"
    )
    # the same flag in the article's own list (one article: it is on this page too) shows the same verdict
    assert (
        browser.run(
            session,
            'document.querySelector(\'ul.flaglist .verdict[data-vlang="fr"][data-code="glossary_term"] '
            "button.on').getAttribute('data-verdict')",
        )
        == "not_error"
    )

    browser.send("Page.reload", session=session)
    time.sleep(0.3)
    browser.wait_for(session, "document.readyState === 'complete' && document.documentElement.classList.contains('js')")
    marked = {(lang, code): (on, note) for code, lang, on, note in json.loads(browser.run(session, STATE))}
    assert marked[("fr", "glossary_term")] == (["not_error"], "house style on a second mention")
    assert marked[("en", "number_mismatch")] == (["error"], "")
    assert marked[("ja", "added")] == ([], "")

    downloads = tmp_path / "downloads"
    downloads.mkdir()
    browser.send("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    browser.run(session, "document.getElementById('download-verdicts').click(); true")
    saved = downloads / "verdicts.json"
    deadline = time.monotonic() + 30
    while not saved.is_file() and time.monotonic() < deadline:
        time.sleep(0.1)
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["format"] == "backtrans-verdicts" and data["version"] == 1
    verdicts = {(v["lang"], v["code"]): v for v in data["verdicts"]}
    assert set(verdicts) == {("fr", "glossary_term"), ("en", "number_mismatch")}
    dismissed = verdicts[("fr", "glossary_term")]
    assert dismissed["verdict"] == "not_error" and dismissed["note"] == "house style on a second mention"
    assert dismissed["article"] == "semarang-flood" and dismissed["segments"] == ["3.1"]
    assert dismissed["evidence"] == "banjir rob" and dismissed["time"].endswith("Z")

    again = tmp_path / "again"
    score(again, "--glossary", str(ROOT / "examples" / "glossary.csv"), "--verdicts", str(saved))
    report = json.loads((again / "report.json").read_text(encoding="utf-8"))
    flags = {(v["lang"], f["code"]): f for v in report["articles"][0]["versions"] for f in v["flags"]}
    assert flags[("fr", "glossary_term")]["dismissed"] is True
    assert [k for k, f in flags.items() if f["dismissed"]] == [("fr", "glossary_term")]
    assert report["signature"]["verdicts"]["dismissed"] == 1
    html = (again / "report.html").read_text(encoding="utf-8")
    assert "1</b> dismissed by the newsroom" in html
    assert 'data-vlang="fr" data-code="glossary_term"' not in html


def test_the_page_keeps_its_strict_policy_and_one_script(tmp_path: Path) -> None:
    """The buttons add no inline handler, no second script and nothing that reaches the network."""
    out = tmp_path / "out"
    score(out)
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "script-src 'sha256-" in html and "default-src 'none'" in html
    assert html.count("<script") == 1
    assert " onclick=" not in html and " onchange=" not in html
    assert "http://" not in html.split("<script>")[1].split("</script>")[0]
    assert "https://" not in html.split("<script>")[1].split("</script>")[0]
