"""A real browser for the tests of kaiin's HTML report: Debian's headless Chromium
(chromium-headless-shell, or chromium), driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: messages of JSON ending in a NUL byte, on file descriptors
3 and 4), with nothing but Python's standard library.

    with Browser() as b:
        page = b.open("/tmp/report.html")
        page.evaluate("document.title")
        page.screenshot("build/screenshots/report.png")
        page.requests   # every URL the page asked for, its own first

The browser starts with a fresh profile and every flag that keeps it from going
out (the machine may have no network at all), and every host name resolving to
nothing: a page that fetched anything shows in requests and in csp_issues."""
import base64
import json
import os
import select
import shutil
import subprocess
import tempfile
import time

# Where Debian installs it; KAIIN_BROWSER names another.
CANDIDATES = ["chromium-headless-shell", "chromium"]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-default-apps", "--disable-extensions", "--mute-audio", "--hide-scrollbars",
         # Any host name resolves to nothing: a request that slipped past everything
         # else still cannot leave the machine.
         "--host-resolver-rules=MAP * ~NOTFOUND"]
TIMEOUT = 60  # seconds a page may take to load, or a command to answer


def find_browser():
    """The browser's path, or None when neither package is installed."""
    if os.environ.get("KAIIN_BROWSER"):
        return shutil.which(os.environ["KAIIN_BROWSER"])
    for name in CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    return None


MISSING = ("no browser: chromium-headless-shell is not installed (sh scripts/install-deps installs it, "
           "or KAIIN_BROWSER names one)")


class BrowserError(Exception):
    pass


class Browser:
    """One browser process, for as many pages as a test opens."""

    def __init__(self, path=None):
        self.path = path or find_browser()
        if not self.path:
            raise BrowserError(MISSING)
        self.profile = tempfile.mkdtemp(prefix="kaiin-browser-")
        to_browser, self._theirs_in = os.pipe()    # we write, the browser reads fd 3
        self._theirs_out, from_browser = os.pipe()  # the browser writes fd 4, we read
        theirs = (to_browser, from_browser)

        def descriptors():
            os.dup2(theirs[0], 3)
            os.dup2(theirs[1], 4)
        self.proc = subprocess.Popen([self.path, *FLAGS, f"--user-data-dir={self.profile}",
                                      "--remote-debugging-pipe", "about:blank"],
                                     pass_fds=(3, 4), preexec_fn=descriptors, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser)
        os.close(from_browser)
        self._write, self._read = self._theirs_in, self._theirs_out
        self._buffer = b""
        self._next_id = 0
        self._events = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.proc.poll() is None:
            try:
                self.send("Browser.close")
            except (BrowserError, OSError):
                pass
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for fd in (self._write, self._read):
            try:
                os.close(fd)
            except OSError:
                pass
        shutil.rmtree(self.profile, ignore_errors=True)

    def _message(self, deadline):
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("the browser did not answer in time")
            ready, _, _ = select.select([self._read], [], [], left)
            if ready:
                data = os.read(self._read, 1 << 20)
                if not data:
                    raise BrowserError("the browser ended")
                self._buffer += data
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, session=None, **params):
        """Sends a command and returns its result; events that come meanwhile are kept."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._write, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + TIMEOUT
        while True:
            m = self._message(deadline)
            if m.get("id") == self._next_id:
                if "error" in m:
                    raise BrowserError(f"{method}: {m['error']}")
                return m.get("result", {})
            self._events.append(m)

    def wait_for(self, method, session, timeout=TIMEOUT):
        """Waits for an event of the session; returns its parameters."""
        deadline = time.monotonic() + timeout
        while True:
            for i, m in enumerate(self._events):
                if m.get("method") == method and m.get("sessionId") == session:
                    del self._events[i]
                    return m.get("params", {})
            self._events.append(self._message(deadline))

    def take_events(self, session):
        """The events of the session received so far (and forgets them)."""
        mine = [m for m in self._events if m.get("sessionId") == session]
        self._events = [m for m in self._events if m.get("sessionId") != session]
        return mine

    def open(self, path, width=1280, height=800):
        """A new tab showing the file PATH, loaded, at WIDTH x HEIGHT."""
        return Page(self, path, width, height)


class Page:
    """A tab: what the page asked for (requests, csp_issues) and what it built."""

    def __init__(self, browser, path, width, height):
        self.browser = browser
        self.url = "file://" + os.path.abspath(path)
        target = browser.send("Target.createTarget", url="about:blank")["targetId"]
        self.target = target
        self.session = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Network", "Runtime", "Audits"):
            self.send(f"{domain}.enable")
        self.resize(width, height)
        started = time.monotonic()
        self.send("Page.navigate", url=self.url)
        self.browser.wait_for("Page.loadEventFired", self.session)
        self.load_seconds = time.monotonic() - started
        self.requests, self.csp_issues, self.failures = [], [], []
        self.collect()

    def send(self, method, **params):
        return self.browser.send(method, self.session, **params)

    def collect(self):
        """Reads the events so far into requests, csp_issues and failures."""
        for m in self.browser.take_events(self.session):
            params = m.get("params", {})
            if m["method"] == "Network.requestWillBeSent":
                self.requests.append(params["request"]["url"])
            elif m["method"] == "Network.loadingFailed":
                self.failures.append(params)
            elif m["method"] == "Audits.issueAdded":
                issue = params["issue"]
                if issue.get("code") == "ContentSecurityPolicyIssue":
                    self.csp_issues.append(issue.get("details", {}))

    def resize(self, width, height, print_media=False):
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)
        self.send("Emulation.setEmulatedMedia", media="print" if print_media else "")

    def evaluate(self, expression):
        """The value of a JavaScript expression in the page (DevTools runs it whatever
        the page's Content-Security-Policy says; the page itself runs none)."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path):
        """A PNG of what the window shows now, written to PATH."""
        data = self.send("Page.captureScreenshot", format="png")["data"]
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        return path

    def close(self):
        self.browser.send("Target.closeTarget", targetId=self.target)
