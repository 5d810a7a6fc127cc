"""textual-serve's server with a door: every desk starts locked, only the server's own pages get in,
and the passphrase reaches each desk through a pipe.

textual-serve runs one app process per browser websocket. :class:`DeskServer` extends its
``Server``: a middleware refuses (403) any request whose ``Host`` is not the server's own address and
any websocket whose ``Origin`` is not (:class:`~.door.Door`); its page loads nothing from elsewhere
(a template without the Google Fonts link, and a Content-Security-Policy saying so); at most
:data:`MAX_DESKS` desks run at once. :class:`DeskAppService` starts each desk as
``python -m advocate_tui --db PATH --locked --passphrase-fd N``: the passphrase is written into a
fresh pipe whose read end the child inherits (``pass_fds``), reads once and closes, so it is in
neither the child's environment nor its command line.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shlex
from pathlib import Path
from urllib.parse import urlsplit

from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from .door import Door

log = logging.getLogger("textual-serve")

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: desks (app processes) running at once; one more browser gets 503 (each desk is a Python process)
MAX_DESKS = 8
#: never handed to a desk's environment (the passphrase goes through a pipe)
SECRET_ENV = ("ADVOCATE_PASSPHRASE", "ADVOCATE_PASSPHRASE_FILE", "ADVOCATE_NEW_PASSPHRASE", "ADVOCATE_PIN")


class DeskAppService(AppService):
    """One desk process for one browser: started from an argument list (no shell), without secrets in
    its environment, with the passphrase on an inherited pipe."""

    def __init__(self, argv: list[str], passphrase: str | None, **kwargs):
        super().__init__(shlex.join(argv), **kwargs)
        self.argv = list(argv)
        self._passphrase = passphrase

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width=width, height=height)
        for name in SECRET_ENV:
            environment.pop(name, None)
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24) -> asyncio.subprocess.Process:
        environment = self._build_environment(width=width, height=height)
        argv, inherited = list(self.argv), ()
        if self._passphrase:
            read_end = _passphrase_pipe(self._passphrase)
            argv += ["--passphrase-fd", str(read_end)]
            inherited = (read_end,)
        try:
            self._process = process = await asyncio.create_subprocess_exec(
                *argv, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE, env=environment, pass_fds=inherited)
        finally:
            for fd in inherited:
                os.close(fd)  # the child has its own copy
        assert process.stdin is not None
        self._stdin = process.stdin
        return process


def _passphrase_pipe(passphrase: str) -> int:
    """A pipe holding the passphrase, its write end closed; returns the read end (not inheritable
    except through ``pass_fds``)."""
    read_end, write_end = os.pipe()
    try:
        data = passphrase.encode("utf-8")
        while data:  # at most a few KiB: fits in the pipe's buffer, never blocks
            data = data[os.write(write_end, data):]
    except BaseException:
        os.close(read_end)
        raise
    finally:
        os.close(write_end)
    return read_end


class DeskServer(Server):
    """textual-serve's ``Server`` for advocate desks (see the module docstring)."""

    def __init__(self, argv: list[str], *, passphrase: str | None, host: str, port: int, public_url: str):
        super().__init__(shlex.join(argv), host=host, port=port, title="advocate-tui", public_url=public_url,
                         templates_path=TEMPLATES)
        self.argv = list(argv)
        self._passphrase = passphrase
        self.door = Door(host, port, public_url)
        self.desks = 0
        self.page_headers = page_headers(public_url)

    def initialize_logging(self) -> None:
        """textual-serve's logging, without local variables in tracebacks (they could hold the passphrase)."""
        super().initialize_logging()
        for handler in logging.getLogger().handlers:
            if hasattr(handler, "tracebacks_show_locals"):
                handler.tracebacks_show_locals = False

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        app.middlewares.append(self._guard)
        return app

    async def on_startup(self, app: web.Application) -> None:
        print(f"advocate serve: {self.public_url} (every desk starts at the lock screen; Ctrl+C stops)", flush=True)

    @web.middleware
    async def _guard(self, request: web.Request, handler) -> web.StreamResponse:
        """403 for a request to another name than the server's own, and for a page of another origin
        (a websocket must name its page's origin: browsers always do)."""
        origin = request.headers.get("Origin")
        is_websocket = request.path == "/ws"
        if not self.door.allows_host(request.headers.get("Host")):
            log.warning("refused a request for host %r", request.headers.get("Host", "")[:100])
            raise web.HTTPForbidden(text="advocate: refused: not this server's address\n")
        if (is_websocket or origin is not None) and not self.door.allows_origin(origin):
            log.warning("refused a %s from origin %r", "websocket" if is_websocket else "request", (origin or "")[:100])
            raise web.HTTPForbidden(text="advocate: refused: a page from another site may not open this desk\n")
        response = await handler(request)
        if request.path == "/":
            response.headers.update(self.page_headers)
        return response

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """Upstream's handler (textual-serve 1.1) with :class:`DeskAppService` in place of its AppService
        (which it names directly: there is no hook) and a limit on desks at once."""
        if self.desks >= MAX_DESKS:
            raise web.HTTPServiceUnavailable(text=f"advocate: {MAX_DESKS} desks are open already\n")
        self.desks += 1
        try:
            return await self._run_desk(request)
        finally:
            self.desks -= 1

    async def _run_desk(self, request: web.Request) -> web.WebSocketResponse:
        from textual_serve.server import to_int

        websocket = web.WebSocketResponse(heartbeat=15)
        width = to_int(request.query.get("width", "80"), 80)
        height = to_int(request.query.get("height", "24"), 24)
        app_service: DeskAppService | None = None
        try:
            await websocket.prepare(request)
            app_service = DeskAppService(
                self.argv, self._passphrase, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                close=websocket.close, download_manager=self.download_manager, debug=self.debug)
            await app_service.start(width, height)
            try:
                await self._process_messages(websocket, app_service)
            finally:
                await app_service.stop()
        except asyncio.CancelledError:
            await websocket.close()
        except Exception as error:  # noqa: BLE001 - one desk's failure must not stop the server
            log.error("a desk stopped: %s", type(error).__name__)
        finally:
            if app_service is not None:
                await app_service.stop()
        return websocket


def page_headers(public_url: str) -> dict[str, str]:
    """The page's own headers: it loads nothing from other sites (its scripts, styles and fonts come
    from ``public_url``, where the page says they are), talks only to its own websocket, never shows
    inside another site's frame and is never cached."""
    parts = urlsplit(public_url)
    own = f"{parts.scheme}://{parts.netloc}"
    socket = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"
    return {
        "Content-Security-Policy": (
            f"default-src 'self' {own}; script-src 'self' {own} 'unsafe-inline'; "
            f"style-src 'self' {own} 'unsafe-inline'; img-src 'self' {own} data: blob:; font-src 'self' {own} data:; "
            f"worker-src 'self' blob:; connect-src 'self' {own} {socket}; frame-ancestors 'none'; base-uri 'none'; "
            "form-action 'none'"),
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
        "X-Content-Type-Options": "nosniff",
    }
