"""The generated publishers and subscribers refuse a site id the spec's pattern does not allow,
before anything is sent: a clear "not a valid site id", not a broker error."""

from __future__ import annotations

import pytest
from nats.aio.client import Client
from powerflex_events import EVENT_TYPES, SiteOperationsPublisher, SiteOperationsSubscriber
from specgen_runtime import SubjectError

from tests.fleet.kit import status_event

BAD_SITE_IDS = ["Berlin_1", "site.1", "site*", "site>", "site 1", "SITE-1"]


@pytest.mark.parametrize("site", BAD_SITE_IDS)
async def test_generated_publisher_refuses_invalid_site_id(nc: Client, site: str) -> None:
    publisher = SiteOperationsPublisher(nc)
    with pytest.raises(SubjectError, match="site_id") as raised:
        await publisher.charger_status_changed_v1(status_event(1), site_id=site)
    if site in ("Berlin_1", "SITE-1"):  # a valid token, but not a site id of this spec
        assert "is not a valid site id: it must match '^[a-z][a-z0-9-]{1,31}$'" in str(raised.value)


@pytest.mark.parametrize("site", BAD_SITE_IDS)
def test_generated_subscriber_refuses_invalid_site_id(nc: Client, site: str) -> None:
    with pytest.raises(SubjectError, match="site_id"):
        SiteOperationsSubscriber(nc).charger_status_changed_v1(site_id=site)


def test_every_generated_event_carries_the_site_pattern() -> None:
    for cls in EVENT_TYPES.values():
        if "site_id" in cls.SPEC.parameters:
            assert dict(cls.SPEC.parameter_patterns)["site_id"] == "^[a-z][a-z0-9-]{1,31}$"
