"""HTTP (0.2.0, 0.3.0) and WebSockets (0.1.0) bindings, as the official schemas define them."""

from __future__ import annotations

from typing import Literal

from specgen.model.bindings.base import Binding, versions
from specgen.model.bindings.values import Number, Schema

Method = Literal["GET", "PUT", "POST", "PATCH", "DELETE", "HEAD", "OPTIONS", "CONNECT", "TRACE"]


class HttpOperation(Binding):
    kind = "HTTP operation binding"

    method: Method | None = None
    query: Schema | None = None
    binding_version: Literal["0.2.0", "0.3.0"] | None = None


class HttpMessage020(Binding):
    kind = "HTTP message binding"

    headers: Schema | None = None
    binding_version: Literal["0.2.0"] | None = None


class HttpMessage030(HttpMessage020):
    status_code: Number | None = None
    binding_version: Literal["0.3.0"] | None = None  # type: ignore[assignment]


HTTP_MESSAGE = versions("0.3.0", v0_2_0=HttpMessage020, v0_3_0=HttpMessage030)


class WebSocketsChannel(Binding):
    kind = "WebSockets channel binding"

    method: Literal["GET", "POST"] | None = None
    query: Schema | None = None
    headers: Schema | None = None
    binding_version: Literal["0.1.0"] | None = None
