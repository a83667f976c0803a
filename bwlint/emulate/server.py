"""Serve the emulator: on a loopback port, in the foreground or in a thread (tests)."""

from __future__ import annotations

import re
import sys
import threading

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from bwlint.emulate.app import create_app
from bwlint.emulate.config import EmulatorConfig
from bwlint.emulate.context import Context
from bwlint.emulate.faults import Faults
from bwlint.emulate.metadata import Metadata
from bwlint.emulate.state import State


class _Handler(WSGIRequestHandler):
    """One short line per request on standard error; never a query string (a client
    might put secrets there), never a header."""

    quiet = False

    def log_request(self, code="-", size="-") -> None:  # noqa: ARG002 (the base's signature)
        if not self.quiet:
            path = self.path.split("?", 1)[0]
            sys.stderr.write(f"bwlint emulate: {self.command} {path} {code}\n")

    def log(self, type: str, message: str, *args) -> None:
        if type == "error" and not self.quiet:
            text = re.sub(r"\?\S*", "", message % args if args else message)
            sys.stderr.write(f"bwlint emulate: {text}\n")


class Emulator:
    """The app, its state and a bound server; `url` is known once constructed."""

    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.state = State(config.state_dir, config.zgid)
        self.faults = Faults(config.faults, config.seed)
        ctx = Context(config, self.state, Metadata(config.schema_dir), self.faults)
        self.app = create_app(ctx)
        handler = type("Handler", (_Handler,), {"quiet": config.quiet})
        self.server: BaseWSGIServer = make_server(
            config.host, config.port, self.app, threaded=True, request_handler=handler
        )
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host = self.config.host
        shown = f"[{host}]" if ":" in host else host
        return f"http://{shown}:{self.server.server_port}"

    def serve_forever(self, poll_interval: float = 0.2) -> None:
        """Serve until `stop`; `stop` waits up to `poll_interval` for the loop to see it."""
        self.server.serve_forever(poll_interval=poll_interval)

    def start(self, poll_interval: float = 0.2) -> Emulator:
        self._thread = threading.Thread(
            target=self.serve_forever, args=(poll_interval,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self.state.close()

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
