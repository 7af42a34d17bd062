"""Fixtures of the runtime's own tests: the repository's real nats-server and client fixtures.

The runtime's tests run with the rest of the suite (`make test`); the broker fixtures are
shared with the broker-wide tests under tests/ rather than written twice.
"""

from tests.conftest import nats_server, nc

__all__ = ["nats_server", "nc"]
