#!/usr/bin/env python3
"""Drives the web dashboard of `decisioning serve` in headless Chromium over the DevTools protocol
(standard library only: a minimal WebSocket client). Signs in with a key, checks the run history,
clicks "Run now", follows the live progress until it says "finished", opens the run's dashboard and
a decision, the alerts inbox, the ask page (by address and through the navigation's ask box), runs again with scripts off (the progress page must reload itself to "finished"), signs out; takes a screenshot of each page and fails on any Content-Security-Policy
violation or script error. Called by scripts/check-dashboard.sh, which starts the server.

Environment: DASHBOARD_URL (http://127.0.0.1:PORT), DASHBOARD_KEY (an analyst key), DASHBOARD_VIEWER_KEY
(a viewer key, optional: then a viewer must see no "Run now"), DASHBOARD_AS_OF
(the as-of date for Run now), DASHBOARD_OUT (the directory for the screenshots and DOM dumps),
CHROMIUM (default: chromium)."""

import base64
import json
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from urllib.parse import urlparse


class WebSocket:
    """Just enough of RFC 6455 for the DevTools protocol: text frames, masked from the client."""

    def __init__(self, url):
        u = urlparse(url)
        self.sock = socket.create_connection((u.hostname, u.port), timeout=60)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {u.path} HTTP/1.1\r\nHost: {u.hostname}:{u.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        )
        self.sock.sendall(request.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise RuntimeError("the DevTools endpoint closed the connection during the handshake")
            head += chunk
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise RuntimeError("the DevTools endpoint refused the WebSocket: " + head.decode(errors="replace"))

    def send(self, text):
        payload = text.encode()
        header = bytes([0x81])
        n = len(payload)
        if n < 126:
            header += bytes([0x80 | n])
        elif n < 65536:
            header += bytes([0x80 | 126]) + struct.pack(">H", n)
        else:
            header += bytes([0x80 | 127]) + struct.pack(">Q", n)
        mask = os.urandom(4)
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))

    def _exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise RuntimeError("the DevTools connection closed")
            data += chunk
        return data

    def recv(self):
        message = b""
        while True:
            b0, b1 = self._exact(2)
            opcode = b0 & 0x0F
            n = b1 & 0x7F
            if n == 126:
                n = struct.unpack(">H", self._exact(2))[0]
            elif n == 127:
                n = struct.unpack(">Q", self._exact(8))[0]
            mask = self._exact(4) if b1 & 0x80 else None
            data = self._exact(n)
            if mask:
                data = bytes(b ^ mask[i % 4] for i, b in enumerate(data))
            if opcode == 0x8:
                raise RuntimeError("the DevTools connection closed")
            if opcode == 0x9:  # ping
                continue
            message += data
            if b0 & 0x80:
                return message.decode()


class Page:
    """One tab: calls (waiting for their answer) and the events seen meanwhile."""

    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.problems = []

    def call(self, method, **params):
        self.next_id += 1
        mine = self.next_id
        self.ws.send(json.dumps({"id": mine, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == mine:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.note(message)

    def note(self, message):
        method = message.get("method", "")
        params = message.get("params", {})
        if method == "Log.entryAdded":
            entry = params.get("entry", {})
            text = entry.get("text", "")
            if entry.get("level") in ("error", "warning") or "Content Security Policy" in text:
                # A signed-out 401 or the 404 of a page we asked for on purpose is not a problem of the page.
                if "status of 401" in text or "status of 404" in text:
                    return
                self.problems.append(f"{entry.get('source')}: {text} ({entry.get('url', '')})")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.problems.append("script error: " + json.dumps(details.get("exception", {}).get("description") or details.get("text")))

    def js(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluating {expression!r}: {result['exceptionDetails']}")
        return result.get("result", {}).get("value")

    def wait(self, expression, timeout, what):
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                value = self.js(expression)
            except RuntimeError:
                value = None  # a navigation replaced the context
            if value:
                return value
            time.sleep(0.2)
        raise AssertionError(f"timed out after {timeout} s waiting for {what}; the page is {self.js('location.href')}")

    def loaded(self, path, timeout=30):
        check = f"location.pathname === {json.dumps(path)} && document.readyState === 'complete'"
        return self.wait(check, timeout, f"{path} to load")

    def loaded_like(self, prefix, suffix, timeout=30):
        check = (
            f"location.pathname.startsWith({json.dumps(prefix)}) && location.pathname.endsWith({json.dumps(suffix)}) "
            "&& document.readyState === 'complete'"
        )
        return self.wait(check, timeout, f"{prefix}…{suffix} to load")

    def screenshot(self, path, full=True):
        params = {"format": "png"}
        if full:
            metrics = self.call("Page.getLayoutMetrics")
            size = metrics.get("cssContentSize") or metrics["contentSize"]
            params["clip"] = {"x": 0, "y": 0, "width": 1366, "height": min(int(size["height"]) + 1, 6000), "scale": 1}
            params["captureBeyondViewport"] = True
        data = self.call("Page.captureScreenshot", **params)["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        print(f"check-dashboard: screenshot {path}", file=sys.stderr)

    def dump(self, path):
        with open(path, "w") as f:
            f.write(self.js("document.documentElement.outerHTML"))


def main():
    url = os.environ["DASHBOARD_URL"].rstrip("/")
    key = os.environ["DASHBOARD_KEY"]
    as_of = os.environ.get("DASHBOARD_AS_OF", "")
    out = os.environ["DASHBOARD_OUT"]
    os.makedirs(out, exist_ok=True)
    profile = tempfile.mkdtemp(prefix="check-dashboard-chromium.")
    chromium = os.environ.get("CHROMIUM", "chromium")
    browser = subprocess.Popen(
        [
            chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--hide-scrollbars", "--remote-debugging-port=0", f"--user-data-dir={profile}", "--window-size=1366,900",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        port_file = os.path.join(profile, "DevToolsActivePort")
        deadline = time.time() + 30
        while not (os.path.exists(port_file) and open(port_file).read().count("\n") >= 1):
            if time.time() > deadline or browser.poll() is not None:
                raise RuntimeError("chromium did not start its DevTools endpoint (is Debian's chromium installed?)")
            time.sleep(0.1)
        port = int(open(port_file).read().split("\n")[0])
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        target = next(t for t in targets if t.get("type") == "page")
        page = Page(WebSocket(target["webSocketDebuggerUrl"]))
        run(page, url, key, as_of, out)
    finally:
        browser.terminate()
        try:
            browser.wait(timeout=10)
        except subprocess.TimeoutExpired:
            browser.kill()
        shutil.rmtree(profile, ignore_errors=True)


def run(page, url, key, as_of, out):
    page.call("Page.enable")
    page.call("Runtime.enable")
    page.call("Log.enable")
    page.call("Emulation.setDeviceMetricsOverride", width=1366, height=900, deviceScaleFactor=1, mobile=False)

    # Signed out, / sends the browser to the sign-in form.
    page.call("Page.navigate", url=url + "/")
    page.loaded("/sign-in")
    page.screenshot(os.path.join(out, "1-sign-in.png"), full=False)
    page.js(f"document.getElementById('key').value = {json.dumps(key)}")
    page.js("document.querySelector('form[action=\"/sign-in\"] button[type=submit]').click()")
    page.loaded("/")
    assert page.js("document.querySelector('nav.site .who') !== null"), "the history page shows no signed-in key"
    assert page.js("document.querySelector('.history-chart svg') !== null"), "the history has no chart"
    page.screenshot(os.path.join(out, "2-history.png"))

    # Run now, then the live progress until "finished".
    if as_of:
        page.js(f"document.getElementById('as_of').value = {json.dumps(as_of)}")
    page.js("document.querySelector('form.runnow button[type=submit]').click()")
    page.loaded_like("/runs/", "/progress")
    live_shot = False
    deadline = time.time() + 240
    while True:
        state = page.js("(function(){var r=document.getElementById('progress');return r?[r.dataset.state,r.dataset.eventsSeen||'0',r.dataset.live||'']:null})()")
        if state and state[0] == "finished":
            break
        if state and not live_shot and int(state[1]) >= 3:
            page.screenshot(os.path.join(out, "3-progress-live.png"), full=False)
            live_shot = True
        if time.time() > deadline:
            raise AssertionError(f"the progress did not reach finished within 240 s (state {state})")
        time.sleep(0.15)
    events_seen = int(page.js("document.getElementById('progress').dataset.eventsSeen || '0'"))
    status = page.js("document.getElementById('run-state').textContent")
    page.screenshot(os.path.join(out, "4-progress-finished.png"), full=False)
    page.dump(os.path.join(out, "progress.html"))
    assert status.startswith("Finished: "), f"the run state reads {status!r}"
    waiting = page.js("Array.from(document.querySelectorAll('#agent-rows .badge')).map(b => b.textContent).filter(t => t === 'waiting' || t === 'running').length")
    assert waiting == 0, f"{waiting} agents still read waiting or running after the run finished"
    assert events_seen > 0, "the progress page received no server-sent event (the run finished before the page followed it?)"
    assert page.js("!document.getElementById('run-done').classList.contains('hidden')"), "the link to the dashboard did not appear"
    print(f"check-dashboard: progress reached {status!r} live, after {events_seen} server-sent events", file=sys.stderr)

    # The run's dashboard and one decision.
    page.js("document.querySelector('#run-done a').click()")
    page.loaded_like("/runs/", "")
    page.wait("document.querySelector('section.tiles') !== null", 30, "the run's dashboard")
    page.screenshot(os.path.join(out, "5-dashboard-top.png"), full=False)
    page.screenshot(os.path.join(out, "5-dashboard.png"))
    # The decisions and the health panel at full size (meters are sized by style attributes).
    page.js("document.querySelector('.dtitle a').closest('section').scrollIntoView()")
    page.screenshot(os.path.join(out, "5-dashboard-decisions.png"), full=False)
    page.js("window.scrollTo(0, 0)")
    link = page.js("(document.querySelector('.dtitle a') || {}).href || ''")
    assert link, "the dashboard links no decision"
    page.call("Page.navigate", url=link)
    page.loaded(urlparse(link).path)
    assert page.js("document.querySelector('section.evidence') !== null"), "the decision page has no evidence"
    page.screenshot(os.path.join(out, "6-decision.png"))

    # The alerts inbox: the runs raised alerts; acknowledge the first open one from the page.
    page.call("Page.navigate", url=url + "/alerts")
    page.loaded("/alerts")
    rows = page.js("document.querySelectorAll('table.alerts tr[data-alert]').length")
    assert rows > 0, "the alerts inbox lists no alert after three runs"
    page.screenshot(os.path.join(out, "6-alerts.png"))
    alert = page.js("(document.querySelector('tr[data-state=open]') || {dataset: {}}).dataset.alert || ''")
    assert alert, "no open alert to acknowledge"
    page.js(f"document.querySelector('form[action=\"/alerts/{alert}/acknowledge\"] button').click()")
    page.wait("location.search.indexOf('done=acknowledged') >= 0", 30, "the inbox after acknowledging")
    assert page.js(f"document.querySelector('tr[data-alert=\"{alert}\"]').dataset.state") == "acknowledged", \
        "the acknowledged alert does not read acknowledged"
    assert page.js("document.querySelector('p.notice') !== null"), "no notice after acknowledging"
    page.screenshot(os.path.join(out, "6-alerts-acknowledged.png"), full=False)
    print(f"check-dashboard: {rows} alerts in the inbox; acknowledged {alert} from the page", file=sys.stderr)

    # The ask page: a question by its address, then the navigation's ask box, typed and submitted.
    page.call("Page.navigate", url=url + "/ask?q=revenue+by+industry+last+quarter")
    page.loaded("/ask")
    status = page.js("(document.getElementById('answer') || {dataset: {}}).dataset.status || ''")
    assert status == "answered", f"the ask page reads {status!r} for revenue by industry last quarter"
    assert page.js("document.querySelector('#answer .badge').textContent") == "answered", "no answered badge"
    rows = page.js("document.querySelectorAll('table.answer-rows tbody tr').length")
    assert rows > 0, "the answer has no rows"
    dialects = page.js("Array.from(document.querySelectorAll('#sql details[data-dialect]')).map(d => d.dataset.dialect).join(',')")
    assert dialects == "sqlite,mysql,heatwave", f"the SQL section shows {dialects!r}"
    assert page.js("document.querySelector('#interpretation') !== null"), "the ask page does not say how the question was read"
    page.js("document.querySelector('nav.site form.ask-nav input[name=q]').focus()")
    page.call("Input.insertText", text="top 5 customers by revenue this year")
    page.call("Input.dispatchKeyEvent", type="keyDown", key="Enter", code="Enter", windowsVirtualKeyCode=13, text="\r")
    page.call("Input.dispatchKeyEvent", type="keyUp", key="Enter", code="Enter", windowsVirtualKeyCode=13)
    page.wait(
        "location.pathname === '/ask' && location.search.indexOf('top+5+customers') >= 0 && document.readyState === 'complete' "
        "&& document.getElementById('answer') !== null", 30, "the answer to the question typed in the navigation")
    status = page.js("document.getElementById('answer').dataset.status")
    assert status == "answered", f"the question typed in the navigation reads {status!r}"
    assert page.js("document.getElementById('q').value") == "top 5 customers by revenue this year", "the form is not prefilled"
    page.js("document.querySelector('#sql details[data-dialect=sqlite]').open = true")
    page.screenshot(os.path.join(out, "ask.png"))
    page.dump(os.path.join(out, "ask.html"))
    print(f"check-dashboard: the ask page answered with {rows} rows and SQL in {dialects}; the navigation's ask box answered too",
          file=sys.stderr)

    # The history again: the new run is in the chart and the table.
    page.call("Page.navigate", url=url + "/")
    page.loaded("/")
    page.screenshot(os.path.join(out, "7-history-after.png"))
    page.dump(os.path.join(out, "history.html"))

    # Without scripts the pages still read.
    page.call("Emulation.setScriptExecutionDisabled", value=True)
    page.call("Page.navigate", url=url + "/dashboard")
    page.wait("true", 5, "the page")  # evaluation still works with scripts off (DevTools)
    page.loaded("/dashboard")
    assert page.js("document.querySelectorAll('section.panel').length") > 3, "the dashboard without scripts has no panels"
    # Run now without scripts: the progress page reloads itself (meta refresh in noscript) until finished.
    page.call("Page.navigate", url=url + "/")
    page.loaded("/")
    page.js("document.querySelector('form.runnow button[type=submit]').click()")
    page.loaded_like("/runs/", "/progress")
    origins = set()
    deadline = time.time() + 240
    while True:
        try:
            state = page.js("[performance.timeOrigin, (document.getElementById('progress') || {dataset: {}}).dataset.state || '', "
                            "(document.getElementById('progress') || {dataset: {}}).dataset.live || '']")
        except RuntimeError:
            state = None  # a reload replaced the context
        if state:
            origins.add(state[0])
            assert not state[2], "a script ran on the progress page with scripts off"
            if state[1] == "finished":
                break
        if time.time() > deadline:
            raise AssertionError("without scripts, the progress did not reach finished within 240 s")
        time.sleep(0.2)
    assert len(origins) > 1, "without scripts, the progress page never reloaded itself"
    page.screenshot(os.path.join(out, "8-progress-finished-without-scripts.png"), full=False)
    print(f"check-dashboard: without scripts the progress page reloaded {len(origins) - 1} times to 'finished'", file=sys.stderr)
    page.call("Emulation.setScriptExecutionDisabled", value=False)

    # Sign out.
    page.call("Page.navigate", url=url + "/")
    page.loaded("/")
    page.js("document.querySelector('form[action=\"/sign-out\"] button').click()")
    page.loaded("/sign-in")

    # A viewer sees the runs but no "Run now".
    viewer = os.environ.get("DASHBOARD_VIEWER_KEY")
    if viewer:
        page.js(f"document.getElementById('key').value = {json.dumps(viewer)}")
        page.js("document.querySelector('form[action=\"/sign-in\"] button[type=submit]').click()")
        page.loaded("/")
        assert page.js("document.querySelector('table.runs') !== null"), "the viewer sees no runs"
        assert page.js("document.querySelector('form.runnow') === null"), "the viewer is offered Run now"
        page.screenshot(os.path.join(out, "9-history-viewer.png"), full=False)
        page.call("Page.navigate", url=url + "/alerts?state=all")
        page.loaded("/alerts")
        assert page.js("document.querySelectorAll('tr[data-alert]').length") > 0, "the viewer sees no alerts"
        assert page.js("document.querySelector('td.actions form') === null"), "the viewer is offered alert buttons"
        page.js("document.querySelector('form[action=\"/sign-out\"] button').click()")
        page.loaded("/sign-in")

    if page.problems:
        raise AssertionError("the browser reported problems:\n  " + "\n  ".join(page.problems))
    print(f"check-dashboard: ok; screenshots in {out}", file=sys.stderr)


if __name__ == "__main__":
    try:
        main()
    except (AssertionError, RuntimeError) as error:
        print(f"check-dashboard: FAILED: {error}", file=sys.stderr)
        sys.exit(1)
