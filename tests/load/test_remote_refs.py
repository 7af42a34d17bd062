"""Remote references, safely: validate never fetches; `specgen refs vendor` downloads the
pinned URLs once (from an HTTP server on 127.0.0.1 here) and checks each SHA-256; from then on
validate reads only the vendored copies, and a digest that does not match is an error."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.helpers import run_specgen

MONEY = {
    "type": "object",
    "properties": {
        "amount": {"type": "integer"},
        "currency": {"$ref": "./currency.json"},
    },
    "required": ["amount", "currency"],
}
CURRENCY = {"type": "string", "pattern": "^[A-Z]{3}$"}


class Served:
    """A loopback HTTP server of a few files that counts the requests it answers."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.requests: list[str] = []
        served = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the http.server protocol
                served.requests.append(self.path)
                body = served.files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.end_headers()
                self.wfile.write(body or b"not found")

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def served() -> Iterator[Served]:
    files = {
        "/schemas/money.json": json.dumps(MONEY).encode(),
        "/schemas/currency.json": json.dumps(CURRENCY).encode(),
    }
    server = Served(files)
    try:
        yield server
    finally:
        server.close()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _project(root: Path, served: Served, *, money_sha: str | None = None) -> Path:
    money, currency = served.files["/schemas/money.json"], served.files["/schemas/currency.json"]
    (root / "specgen.yaml").write_text(
        "project: shop\ndocuments: [orders.yaml]\nlanguages: [python]\nrules: {use: generator}\n"
        "refs:\n  pinned:\n"
        f"    - {{url: '{served.url('/schemas/money.json')}', "
        f"sha256: {money_sha or _sha(money)}}}\n"
        f"    - {{url: '{served.url('/schemas/currency.json')}', sha256: {_sha(currency)}}}\n",
        encoding="utf-8",
    )
    (root / "orders.yaml").write_text(
        "asyncapi: 3.0.0\ninfo: {title: Orders, version: 1.0.0}\nchannels:\n  paid:\n"
        "    address: orders.paid\n    messages:\n      paid:\n        payload:\n"
        f"          $ref: '{served.url('/schemas/money.json')}'\n"
        "        examples:\n          - payload: {amount: 100, currency: EUR}\n",
        encoding="utf-8",
    )
    return root


def test_validate_never_fetches_and_says_how_to_vendor(tmp_path: Path, served: Served) -> None:
    project = _project(tmp_path, served)
    result = run_specgen("validate", project, cwd=tmp_path)
    assert result.returncode == 1
    assert "error[SG-REF-NOT-VENDORED]" in result.stderr and "specgen refs vendor" in result.stderr
    assert served.requests == []


def test_vendor_once_then_validate_offline(tmp_path: Path, served: Served) -> None:
    project = _project(tmp_path, served)
    vendored = run_specgen("refs", "vendor", project, cwd=tmp_path)
    assert vendored.returncode == 0, vendored.stderr
    assert "2 downloaded, 0 already vendored" in vendored.stderr
    assert sorted(served.requests) == ["/schemas/currency.json", "/schemas/money.json"]
    host = f"127.0.0.1_{served.server.server_address[1]}"
    assert (project / "vendor" / host / "schemas" / "money.json").read_bytes() == (
        served.files["/schemas/money.json"]
    )
    again = run_specgen("refs", "vendor", project, cwd=tmp_path)
    assert "0 downloaded, 2 already vendored" in again.stderr and len(served.requests) == 2
    served.close()
    result = run_specgen("validate", project, cwd=tmp_path)
    assert result.returncode == 0, result.stderr  # the example matches the vendored schema


def test_an_example_is_checked_against_the_vendored_schema(tmp_path: Path, served: Served) -> None:
    project = _project(tmp_path, served)
    assert run_specgen("refs", "vendor", project, cwd=tmp_path).returncode == 0
    orders = project / "orders.yaml"
    orders.write_text(orders.read_text().replace("currency: EUR", "currency: euro"))
    result = run_specgen("validate", project, cwd=tmp_path)
    assert result.returncode == 1 and "error[SG-EXAMPLE-INVALID]" in result.stderr


def test_a_changed_vendored_copy_is_refused(tmp_path: Path, served: Served) -> None:
    project = _project(tmp_path, served)
    assert run_specgen("refs", "vendor", project, cwd=tmp_path).returncode == 0
    host = f"127.0.0.1_{served.server.server_address[1]}"
    currency = project / "vendor" / host / "schemas" / "currency.json"
    currency.write_text(json.dumps({"type": "string"}))
    result = run_specgen("validate", project, cwd=tmp_path)
    assert result.returncode == 1
    assert "error[SG-REF-HASH]" in result.stderr and "currency.json" in result.stderr
    assert "specgen.yaml:" in result.stderr  # located at the pin


def test_a_download_that_does_not_match_its_pin_is_not_written(
    tmp_path: Path, served: Served
) -> None:
    project = _project(tmp_path, served, money_sha="f" * 64)
    result = run_specgen("refs", "vendor", project, cwd=tmp_path)
    assert result.returncode == 1
    actual = _sha(served.files["/schemas/money.json"])
    assert "error[SG-REF-HASH]" in result.stderr and actual in result.stderr
    host = f"127.0.0.1_{served.server.server_address[1]}"
    assert not (project / "vendor" / host / "schemas" / "money.json").exists()


def test_an_unpinned_remote_ref_is_refused_and_not_fetched(tmp_path: Path, served: Served) -> None:
    project = _project(tmp_path, served)
    assert run_specgen("refs", "vendor", project, cwd=tmp_path).returncode == 0
    orders = project / "orders.yaml"
    orders.write_text(orders.read_text().replace("/schemas/money.json", "/schemas/other.json"))
    before = len(served.requests)
    result = run_specgen("validate", project, cwd=tmp_path)
    assert result.returncode == 1 and "error[SG-REF-REMOTE]" in result.stderr
    assert "refs.pinned" in result.stderr and len(served.requests) == before
