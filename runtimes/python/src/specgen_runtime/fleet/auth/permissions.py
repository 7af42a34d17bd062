"""The permissions of every kind of user, from the spec's topology (no secrets here).

One account holds the fleet's events from the hub to every leaf node. Users are signed by
*scoped* signing keys of that account: the key's template fixes the permissions, and the
server fills ``{{tag(site)}}`` with the user's ``site:<id>`` tags, so a leaked or forged user
cannot carry more rights than its role. One scoped key per role (a single template would
give customers the rights sourcing needs at a site):

* ``site`` (one user per site; its leaf link to the hub and its local applications).
  Publish: the site's own subjects, its sourcing deliveries (``$JS.SRC.<site>.>``) and the
  replies sourcing and the hub's requests need; its local JetStream API. Subscribe: its own
  subjects and ``$JS.<site>.API.>``, which is how the hub reaches the site's JetStream.
  Nothing of another site and nothing of the hub's JetStream API (``$JS.hub.API.>``).
* ``customer`` (one user per customer, a ``site:`` tag for each of their sites): subscribe to
  those sites' subjects and replies only; publish nothing.
* ``mqtt`` (a customer's MQTT user): over a site's MQTT listener, subscribe to the topics the
  spec serves over MQTT (``x-mqtt``) of their sites, nothing else; publish nothing.
* ``device`` (a device's MQTT user at one site): publish the topics the spec lets devices
  publish (``x-mqtt: {device_publish: true}``) at that site; subscribe to nothing.

The subjects are the spec's own: each site stream's subjects (``pf.{site_id}.orders.>``...)
and the subjects of core events, with ``{site_id}`` turned into the template.

With a leaf connection the server applies a user's permissions from the leaf's point of
view (publish = what the site may send to the hub) and reverses them inside the hub.
"""

from __future__ import annotations

from typing import Any

from specgen_runtime.fleet.topology import Topology, deliver_prefix

__all__ = [
    "CUSTOMER_ROLE",
    "DEVICE_ROLE",
    "MQTT_ROLE",
    "SITE_ROLE",
    "customer_template",
    "device_template",
    "mqtt_customer_template",
    "site_subjects",
    "site_system_permissions",
    "site_template",
]

SITE_ROLE = "site"
CUSTOMER_ROLE = "customer"
MQTT_ROLE = "mqtt"
DEVICE_ROLE = "device"
_SITE_TAG = "{{tag(site)}}"


def site_subjects(topology: Topology, site: str = _SITE_TAG) -> list[str]:
    """The spec's subjects of one site (``site`` filled in, by default the template tag)."""
    return [subject.replace("{site_id}", site) for subject in topology.site_subject_templates]


def _permission(pub_allow: list[str], sub_allow: list[str], pub_deny: list[str] | None = None
                ) -> dict[str, Any]:  # fmt: skip
    pub: dict[str, Any] = {"allow": pub_allow} if pub_allow else {}
    if pub_deny:
        pub["deny"] = pub_deny
    return {"pub": pub, "sub": {"allow": sub_allow}}


def site_template(topology: Topology) -> dict[str, Any]:
    """The user-scope template of the ``site`` role."""
    own = site_subjects(topology)
    publish = [
        *own,
        f"{deliver_prefix(_SITE_TAG)}.>",  # sourcing deliveries to the hub
        "$JSC.R.>",  # replies to the hub's source-consumer requests
        "_INBOX.>",  # replies to the hub's JetStream requests; local request replies
        "$JS.API.>",  # the site's own JetStream (never crosses the leaf link)
        "$JS.ACK.>",
        "$JS.FC.>",
        "$JS.EVENT.>",  # the site's advisories, for `fleet events` at the hub
    ]
    subscribe = [*own, f"$JS.{_SITE_TAG}.API.>", "_INBOX.>", "$JS.FC.>", "$JS.ACK.>"]
    return {
        **_permission(publish, subscribe),
        "allowed_connection_types": ["STANDARD", "LEAFNODE"],
    }


def customer_template(topology: Topology) -> dict[str, Any]:
    """The user-scope template of the ``customer`` role: read their sites, publish nothing."""
    return {
        **_permission([], [*site_subjects(topology), "_INBOX.>"], pub_deny=[">"]),
        "allowed_connection_types": ["STANDARD", "MQTT", "WEBSOCKET"],
    }


def _filled(templates: tuple[str, ...]) -> list[str]:
    return [subject.replace("{site_id}", _SITE_TAG) for subject in templates]


def _mqtt_user(pub: list[str], sub: list[str]) -> dict[str, Any]:
    """An MQTT-only bearer user: MQTT clients present the user JWT as their password, so
    there is no nonce to sign. An empty list allows nothing (never everything)."""
    return {
        "pub": {"allow": pub} if pub else {"deny": [">"]},
        "sub": {"allow": sub} if sub else {"deny": [">"]},
        "bearer_token": True,
        "allowed_connection_types": ["MQTT"],
    }


def mqtt_customer_template(topology: Topology) -> dict[str, Any]:
    """The ``mqtt`` role: a customer's MQTT user; reads the served topics of their sites.

    ``#`` also matches the level it follows, so every ``X.>`` subject is allowed as ``X`` too.
    """
    subjects = _filled(topology.mqtt.customer_subjects)
    parents = [s.removesuffix(".>") for s in subjects if s.endswith(".>")]
    return _mqtt_user([], [*subjects, *parents])


def device_template(topology: Topology) -> dict[str, Any]:
    """The ``device`` role: a device's MQTT user at its site; publishes the device topics."""
    return _mqtt_user(_filled(topology.mqtt.device_subjects), [])


def site_system_permissions() -> dict[str, Any]:
    """A site's system-account leaf user: server facts and claim updates, nothing else.

    The hub reads every site server's ``VARZ``/``JSZ`` and pushes account JWT updates
    (revocations) over this link; the site sends its servers' events and the replies.
    """
    return _permission(
        ["$SYS.ACCOUNT.>", "$SYS.SERVER.>", "_INBOX.>", "$SYS._INBOX.>"],
        [
            "$SYS.REQ.SERVER.PING",
            "$SYS.REQ.SERVER.PING.>",
            "$SYS.REQ.CLAIMS.UPDATE",
            "$SYS.REQ.ACCOUNT.*.CLAIMS.UPDATE",
            "_INBOX.>",
            "$SYS._INBOX.>",
        ],
    )
