"""A small asyncio TCP proxy that stands for the network link between a site and the hub.

``cut()`` closes every open connection and refuses new ones (accepted and closed at once),
``restore()`` lets connections through again. The listening socket stays bound the whole
time, so the site keeps dialling the same address. With several target ports (the leaf
listeners of a hub cluster) each new connection goes to the next target that accepts, so a
stopped hub server is routed around as a load balancer would::

    async with LinkProxy(target_port=hub_leaf_port) as link:
        ...  # site remote: nats-leaf://127.0.0.1:{link.port}
        await link.cut()
        link.restore()
"""

from __future__ import annotations

import asyncio
import contextlib
import enum
from collections.abc import Sequence
from types import TracebackType
from typing import Self

from specgen_runtime.servers import free_port

__all__ = ["LinkProxy", "LinkState"]

_CHUNK = 64 * 1024


class LinkState(enum.Enum):
    UP = "up"
    CUT = "cut"
    CLOSED = "closed"


class LinkProxy:
    """Forward 127.0.0.1:``port`` to ``target_host``:``target_port`` until cut or closed."""

    def __init__(
        self,
        target_port: int | Sequence[int],
        *,
        target_host: str = "127.0.0.1",
        port: int | None = None,
        connect_timeout: float = 2.0,
    ) -> None:
        self.target_host = target_host
        ports = (target_port,) if isinstance(target_port, int) else tuple(target_port)
        if not ports:
            raise ValueError("a link proxy needs at least one target port")
        self.target_ports: tuple[int, ...] = ports
        self.target_port = ports[0]
        self._next_target = 0
        self.port = port if port is not None else free_port()
        self.connect_timeout = connect_timeout
        self.state = LinkState.CLOSED
        self.connections_total = 0
        self._server: asyncio.Server | None = None
        self._pipes: set[asyncio.Task[None]] = set()
        self._writers: set[asyncio.StreamWriter] = set()

    @property
    def open_connections(self) -> int:
        return len(self._pipes)

    async def start(self) -> Self:
        if self._server is None:
            self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)
        self.state = LinkState.UP
        return self

    async def cut(self) -> None:
        """Close every connection now and refuse new ones until ``restore()``."""
        if self.state is LinkState.UP:
            self.state = LinkState.CUT
        await self._drop_all()

    def restore(self) -> None:
        """Let new connections through again (the site reconnects by itself)."""
        if self.state is LinkState.CUT:
            self.state = LinkState.UP

    async def close(self) -> None:
        """Stop listening and close every connection."""
        self.state = LinkState.CLOSED
        server, self._server = self._server, None
        if server is not None:
            server.close()
        await self._drop_all()
        if server is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(server.wait_closed(), timeout=2.0)

    async def _drop_all(self) -> None:
        for writer in list(self._writers):
            writer.transport.abort()
        pipes = list(self._pipes)
        for task in pipes:
            task.cancel()
        if pipes:
            await asyncio.wait(pipes, timeout=2.0)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.state is not LinkState.UP:
            writer.transport.abort()
            return
        upstream = await self._dial()
        if upstream is None:
            writer.transport.abort()
            return
        up_reader, up_writer = upstream
        if self.state is not LinkState.UP:  # cut while we were connecting
            writer.transport.abort()
            up_writer.transport.abort()
            return
        self.connections_total += 1
        self._writers.update((writer, up_writer))
        for src, dst in ((reader, up_writer), (up_reader, writer)):
            task = asyncio.create_task(self._pipe(src, dst, (writer, up_writer)))
            self._pipes.add(task)
            task.add_done_callback(self._pipes.discard)

    async def _dial(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
        """Connect to the next target that accepts (round robin over the targets)."""
        count = len(self.target_ports)
        start, self._next_target = self._next_target, (self._next_target + 1) % count
        for step in range(count):
            port = self.target_ports[(start + step) % count]
            try:
                return await asyncio.wait_for(
                    asyncio.open_connection(self.target_host, port),
                    timeout=self.connect_timeout,
                )
            except (OSError, TimeoutError):
                continue
        return None

    async def _pipe(
        self,
        src: asyncio.StreamReader,
        dst: asyncio.StreamWriter,
        pair: tuple[asyncio.StreamWriter, asyncio.StreamWriter],
    ) -> None:
        try:
            while data := await src.read(_CHUNK):
                dst.write(data)
                await dst.drain()
        except (OSError, ConnectionError):
            pass
        finally:
            for end in pair:  # one side gone: drop both, like a broken link
                end.transport.abort()
                self._writers.discard(end)

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
