"""A small Chrome DevTools Protocol client for the browser test: headless Chromium driven over
``--remote-debugging-pipe`` (file descriptors 3 and 4, no network port), with a bound on every wait.

The page's websocket is wrapped before any of the page's scripts run, so the test can read what the
browser received from the server (the terminal output xterm.js draws onto a canvas, where the DOM
has no text).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import time
from pathlib import Path

#: Chromium from Debian's packages (``chromium``, or ``chromium-headless-shell``)
CANDIDATES = ("chromium", "chromium-headless-shell")
#: the flags this machine's notes give for Chromium as root, without a display or a network
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-pipe", "--window-size=1280,720")

#: run in the page before its own scripts: keeps everything the page's websocket receives as text
RECORD_SOCKET = r"""(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.__received = "";
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        window.__received += typeof event.data === "string" ? event.data : decoder.decode(event.data, {stream: true});
      });
    }
  };
})();"""


def find_chromium() -> str | None:
    for name in CANDIDATES:
        if found := shutil.which(name):
            return found
    return None


class Browser:
    """One headless Chromium with one page; use as a context manager (it is killed at the end)."""

    def __init__(self, executable: str, profile_dir: Path):
        def plug_pipes() -> None:  # in the child: Chromium reads commands on fd 3 and answers on fd 4
            commands, answers = (fcntl.fcntl(fd, fcntl.F_DUPFD, 5) for fd in (self._commands_read, self._answers_write))
            os.dup2(commands, 3)  # dup2 leaves 3 and 4 inheritable; every other descriptor of ours is not
            os.dup2(answers, 4)

        self._commands_read, self._commands = os.pipe()
        self._answers, self._answers_write = os.pipe()
        self.process = subprocess.Popen([executable, *FLAGS, f"--user-data-dir={profile_dir}", "about:blank"],
                                        close_fds=False, preexec_fn=plug_pipes, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        os.close(self._commands_read)
        os.close(self._answers_write)
        self._buffer = b""
        self._next_id = 0
        self.session: str | None = None
        #: events received (method and params), in order
        self.events: list[dict] = []

    def __enter__(self) -> "Browser":
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=None)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=None)["sessionId"]
        for domain in ("Page", "Runtime", "Network"):
            self.send(f"{domain}.enable")
        self.send("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_SOCKET})
        return self

    def __exit__(self, *exc) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(10)
        os.close(self._commands)
        os.close(self._answers)

    def send(self, method: str, params: dict | None = None, *, session: str | None | bool = True,
             timeout: float = 20) -> dict:
        """Send one command and wait (at most ``timeout`` seconds) for its answer."""
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session is True and self.session:
            message["sessionId"] = self.session
        os.write(self._commands, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            while b"\0" in self._buffer:
                raw, self._buffer = self._buffer.split(b"\0", 1)
                answer = json.loads(raw)
                if answer.get("id") == self._next_id:
                    if "error" in answer:
                        raise RuntimeError(f"{method}: {answer['error']}")
                    return answer.get("result", {})
                if "method" in answer:
                    self.events.append(answer)
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"Chromium did not answer {method} in {timeout} s")
            ready, _, _ = select.select([self._answers], [], [], left)
            if ready:
                chunk = os.read(self._answers, 1 << 16)
                if not chunk:
                    raise EOFError("Chromium closed its pipe")
                self._buffer += chunk

    def evaluate(self, expression: str):
        return self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})["result"].get("value")

    def received(self) -> str:
        """Everything the page's websocket received so far (terminal output, as text)."""
        return self.evaluate("window.__received || ''") or ""

    def wait_for(self, wanted: str, seconds: float = 40) -> str:
        """What the page received, once ``wanted`` is in it (or the time is up)."""
        deadline = time.monotonic() + seconds
        while wanted not in (got := self.received()) and time.monotonic() < deadline:
            time.sleep(0.3)
        return got

    def screenshot(self, path: Path) -> Path:
        path.write_bytes(base64.b64decode(self.send("Page.captureScreenshot", {"format": "png"})["data"]))
        return path

    def click(self, x: int, y: int) -> None:
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": x, "y": y, "button": "left", "clickCount": 1})

    def type(self, text: str) -> None:
        """Real key events for each character, then Enter for a trailing newline."""
        for ch in text:
            if ch == "\n":
                self.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": "Enter", "code": "Enter",
                                                     "windowsVirtualKeyCode": 13, "text": "\r"})
                self.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": "Enter", "code": "Enter",
                                                     "windowsVirtualKeyCode": 13})
                continue
            self.send("Input.dispatchKeyEvent", {"type": "keyDown", "key": ch, "text": ch})
            self.send("Input.dispatchKeyEvent", {"type": "keyUp", "key": ch})

    def requested_urls(self) -> list[str]:
        """Every URL the page asked for (from the Network events)."""
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]
