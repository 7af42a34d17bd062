"""The fleet's auth folder: operator, accounts, signing keys, issued users, revocations.

::

    auth = FleetAuth.init(Path("fleet-auth"), topology)   # operator, account, scoped keys
    auth.issue_site("site-0001")                          # creds/site-0001.creds (+ -sys)
    auth.issue_customer("acme", ["site-0001"])            # creds/customer-acme(-mqtt).creds
    auth.issue_device("meter-7", "site-0001")             # creds/device-meter-7.creds
    auth.revoke_customer("acme")                          # account JWT re-signed

Layout (folders 0700, secret files 0600; ``fleet.json`` and the JWTs hold no secrets)::

    fleet.json            names, public keys, issued users, site id pattern
    keys/*.nk             seeds: operator, account, system account, the two scoped keys
    jwt/*.jwt             operator, account and system account JWTs (what servers preload)
    creds/*.creds         one per user: ops, sys, site-<id>, site-<id>-sys, customer-<name>

The JWT layout: one operator; the fleet account (JetStream on) with three user-scope signing
keys (roles ``site``, ``customer``, ``mqtt`` and ``device``, see ``permissions``) and its
revocations; the system account. A customer gets two users: one for NATS (the hub) and one
for MQTT (a site's MQTT listener; its JWT is the MQTT password). A device gets one MQTT user
at its site, which may publish the spec's device topics there. Site ids are checked against
the spec's pattern before they reach any template, customer and device names against
``[a-z0-9][a-z0-9_-]*``.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specgen_runtime.fleet.auth import permissions
from specgen_runtime.fleet.auth.jwt import (
    AuthError,
    Key,
    creds_text,
    decode,
    encode,
    key_from_seed,
    new_key,
)
from specgen_runtime.fleet.serverconf import AuthBlock
from specgen_runtime.fleet.topology import Topology

__all__ = ["FleetAuth", "IssuedUser"]

_CUSTOMER = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_FORMAT = 1
_NO_LIMIT = -1
_KEYS = ("operator", "account", "system", "site-signer", "customer-signer", "mqtt-signer",
         "device-signer")  # fmt: skip
_ROLES = (permissions.SITE_ROLE, permissions.CUSTOMER_ROLE, permissions.MQTT_ROLE,
          permissions.DEVICE_ROLE)  # fmt: skip


@dataclass(frozen=True)
class IssuedUser:
    name: str  # ops, sys, site-0001, site-0001-sys, customer-acme
    role: str  # ops, sys, site, site-sys, customer
    public: str
    sites: tuple[str, ...]
    issued_at: int


def _private_dir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, 0o700)
    return path


def _write_secret(path: Path, text: str) -> Path:
    """Write ``text`` readable by the owner only (created 0600, never world-readable)."""
    _private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.chmod(path, 0o600)
    return path


class FleetAuth:
    """An auth folder on disk; every change is written through at once."""

    def __init__(self, root: Path, state: dict[str, Any], keys: dict[str, Key]) -> None:
        self.root = Path(root)
        self._state = state
        self._keys = keys

    # -- creation and loading ----------------------------------------------------------------

    @classmethod
    def init(cls, root: Path, topology: Topology, *, name: str = "fleet") -> FleetAuth:
        """A new operator, account and keys in ``root`` (which must not hold an auth folder)."""
        root = Path(root)
        if (root / "fleet.json").exists():
            raise AuthError(f"{root} already holds a fleet auth folder: use it, or pick another")
        keys = {"operator": new_key("operator"), "account": new_key("account"),
                "system": new_key("account"), "site-signer": new_key("account"),
                "customer-signer": new_key("account"),
                "mqtt-signer": new_key("account"),
                "device-signer": new_key("account")}  # fmt: skip
        state: dict[str, Any] = {
            "format": _FORMAT,
            "name": name,
            "site_id_pattern": topology.site_id_pattern,
            "cloud_domain": topology.cloud_domain,
            "templates": {
                permissions.SITE_ROLE: permissions.site_template(topology),
                permissions.CUSTOMER_ROLE: permissions.customer_template(topology),
                permissions.MQTT_ROLE: permissions.mqtt_customer_template(topology),
                permissions.DEVICE_ROLE: permissions.device_template(topology),
            },
            "public": {k: v.public for k, v in keys.items()},
            "users": {},
            "revocations": {},
        }
        auth = cls(_private_dir(root), state, keys)
        for key_name, key in keys.items():
            _write_secret(root / "keys" / f"{key_name}.nk", key.seed.decode() + "\n")
        auth._sign_all()
        auth._issue("ops", "ops", keys["account"], {}, ())
        auth._issue("sys", "sys", keys["system"], {}, ())
        return auth

    @classmethod
    def load(cls, root: Path) -> FleetAuth:
        root = Path(root)
        try:
            state = json.loads((root / "fleet.json").read_text(encoding="utf-8"))
            keys = {k: key_from_seed((root / "keys" / f"{k}.nk").read_bytes()) for k in _KEYS}
        except (OSError, ValueError) as exc:
            raise AuthError(
                f"{root}: not a fleet auth folder ({type(exc).__name__}: "
                f"{getattr(exc, 'filename', None) or exc}); create one with `fleet auth init`"
            ) from None
        if state.get("format") != _FORMAT:
            raise AuthError(f"{root}/fleet.json: unknown format {state.get('format')!r}")
        for key_name, key in keys.items():
            if state["public"].get(key_name) != key.public:
                raise AuthError(f"{root}/keys/{key_name}.nk does not match fleet.json")
        return cls(root, state, keys)

    # -- public facts --------------------------------------------------------------------------

    @property
    def account(self) -> str:
        return self._keys["account"].public

    @property
    def system_account(self) -> str:
        return self._keys["system"].public

    def jwt(self, which: str) -> str:
        """The ``operator``, ``account`` or ``system`` JWT as servers load it."""
        return (self.root / "jwt" / f"{which}.jwt").read_text(encoding="utf-8").strip()

    def creds(self, user: str) -> Path:
        path = self.root / "creds" / f"{user}.creds"
        if not path.is_file():
            raise AuthError(f"no credentials for {user!r} in {self.root}: issue them first")
        return path

    def operator_creds(self) -> Path:
        """Unrestricted user of the fleet account: provisioning, status, the watcher."""
        return self.creds("ops")

    def system_creds(self) -> Path:
        """User of the system account: server events, server facts, claim updates."""
        return self.creds("sys")

    def users(self) -> list[IssuedUser]:
        return [
            IssuedUser(name, u["role"], u["public"], tuple(u["sites"]), u["issued_at"])
            for name, u in sorted(self._state["users"].items())
        ]

    def revoked(self, public: str) -> bool:
        return public in self._state["revocations"]

    # -- issuing and revoking ------------------------------------------------------------------

    def check_site(self, site: str) -> str:
        """``site`` if it matches the spec's site id pattern and is a single lowercase token."""
        pattern = self._state["site_id_pattern"]
        if not isinstance(site, str) or not re.fullmatch(pattern, site):
            raise AuthError(f"invalid site id {site!r}: must match {pattern!r}")
        if not re.fullmatch(r"[a-z0-9_-]+", site) or site == self._state["cloud_domain"]:
            raise AuthError(f"invalid site id {site!r}: must be one lowercase NATS token, "
                            "not the cloud's domain")  # fmt: skip
        return site

    def issue_site(self, site: str) -> Path:
        """The site's leaf-node user (role ``site``) and its system-account leaf user."""
        site = self.check_site(site)
        self._issue(f"{site}-sys", "site-sys", self._keys["system"],
                    permissions.site_system_permissions(), (site,))  # fmt: skip
        return self._issue(site, permissions.SITE_ROLE, self._keys["site-signer"], None, (site,))

    def issue_customer(self, name: str, sites: list[str]) -> Path:
        if not isinstance(name, str) or not _CUSTOMER.fullmatch(name):
            raise AuthError(f"invalid customer name {name!r}: use lowercase letters, digits, "
                            "'_' and '-' (at most 64)")  # fmt: skip
        if not sites:
            raise AuthError(f"customer {name!r}: give the sites they may read (--sites ...)")
        checked = tuple(dict.fromkeys(self.check_site(s) for s in sites))
        self._issue(f"customer-{name}-mqtt", permissions.MQTT_ROLE, self._keys["mqtt-signer"],
                    None, checked)  # fmt: skip
        signer = self._keys["customer-signer"]
        return self._issue(f"customer-{name}", permissions.CUSTOMER_ROLE, signer, None, checked)

    def issue_device(self, name: str, site: str) -> Path:
        """A device's MQTT user at ``site`` (role ``device``): ``creds/device-<name>.creds``."""
        if not isinstance(name, str) or not _CUSTOMER.fullmatch(name):
            raise AuthError(f"invalid device name {name!r}: use lowercase letters, digits, "
                            "'_' and '-' (at most 64)")  # fmt: skip
        return self._issue(f"device-{name}", permissions.DEVICE_ROLE, self._keys["device-signer"],
                           None, (self.check_site(site),))  # fmt: skip

    def mqtt_password(self, customer: str) -> str:
        """The MQTT password of ``customer``'s MQTT user: its user JWT (a bearer token)."""
        return self._user_jwt(f"customer-{customer}-mqtt")

    def device_password(self, device: str) -> str:
        """The MQTT password of a device's user: its user JWT (a bearer token)."""
        return self._user_jwt(f"device-{device}")

    def _user_jwt(self, user: str) -> str:
        text = self.creds(user).read_text(encoding="utf-8")
        return text.split("-----BEGIN NATS USER JWT-----")[1].split("------END")[0].strip()

    def revoke(self, user: str) -> IssuedUser:
        """Revoke every JWT of ``user`` issued until now; re-signs the account JWT."""
        entry = self._state["users"].get(user)
        if entry is None:
            raise AuthError(f"no user {user!r} was issued in {self.root}")
        self._state["revocations"][entry["public"]] = int(time.time())
        self._sign_all()
        return IssuedUser(user, entry["role"], entry["public"], tuple(entry["sites"]),
                          entry["issued_at"])  # fmt: skip

    # -- server configuration ------------------------------------------------------------------

    def hub_block(self, resolver_dir: Path) -> AuthBlock:
        return AuthBlock(
            operator_jwt=self.jwt("operator"),
            system_account=self.system_account,
            accounts=(
                (self.account, self.jwt("account")),
                (self.system_account, self.jwt("system")),
            ),
            resolver_dir=str(resolver_dir),
        )

    def site_block(self, site: str, resolver_dir: Path) -> AuthBlock:
        site = self.check_site(site)
        return AuthBlock(
            operator_jwt=self.jwt("operator"),
            system_account=self.system_account,
            accounts=(
                (self.account, self.jwt("account")),
                (self.system_account, self.jwt("system")),
            ),
            resolver_dir=str(resolver_dir),
            leaf_credentials=str(self.creds(site)),
            leaf_account=self.account,
            system_leaf_credentials=str(self.creds(f"{site}-sys")),
        )

    # -- internals -----------------------------------------------------------------------------

    def _issue(self, name: str, role: str, signer: Key, perms: dict[str, Any] | None,
               sites: tuple[str, ...]) -> Path:  # fmt: skip
        user = new_key("user")
        account = self.system_account if signer is self._keys["system"] else self.account
        nats: dict[str, Any] = {"type": "user", "version": 2}
        if perms is None:  # scoped: the signing key's template decides; tags fill it
            nats["tags"] = [f"site:{site}" for site in sites]
        else:
            nats.update(perms)
            nats.update({"subs": _NO_LIMIT, "data": _NO_LIMIT, "payload": _NO_LIMIT})
        if signer.public != account:
            nats["issuer_account"] = account
        token = encode({"sub": user.public, "name": name, "nats": nats}, signer)
        path = _write_secret(self.root / "creds" / f"{name}.creds", creds_text(token, user))
        self._state["users"][name] = {"role": role, "public": user.public, "sites": list(sites),
                                      "issued_at": decode(token)["iat"]}  # fmt: skip
        self._save()
        return path

    def _sign_all(self) -> None:
        operator, keys, state = self._keys["operator"], self._keys, self._state
        account_limits = {"subs": _NO_LIMIT, "data": _NO_LIMIT, "payload": _NO_LIMIT,
                          "imports": _NO_LIMIT, "exports": _NO_LIMIT, "wildcards": True,
                          "conn": _NO_LIMIT, "leaf": _NO_LIMIT}  # fmt: skip
        jetstream = {"mem_storage": _NO_LIMIT, "disk_storage": _NO_LIMIT,
                     "streams": _NO_LIMIT, "consumer": _NO_LIMIT}  # fmt: skip
        scopes = [
            {"kind": "user_scope", "key": keys[f"{role}-signer"].public, "role": role,
             "template": state["templates"][role], "description": f"{role} users"}
            for role in _ROLES
        ]  # fmt: skip
        account: dict[str, Any] = {"limits": {**account_limits, **jetstream},
                                   "signing_keys": sorted(scopes, key=lambda s: s["key"]),
                                   "default_permissions": {"pub": {}, "sub": {}},
                                   "type": "account", "version": 2}  # fmt: skip
        if state["revocations"]:
            account["revocations"] = dict(sorted(state["revocations"].items()))
        # servers take an account JWT only when it is newer than the one they hold
        iat = max(int(time.time()), int(state.get("account_iat", 0)) + 1)
        state["account_iat"] = iat
        jwts = {
            "operator": encode({"sub": operator.public, "name": state["name"],
                                "nats": {"system_account": keys["system"].public,
                                         "type": "operator", "version": 2}}, operator),
            "account": encode({"sub": keys["account"].public, "name": state["name"],
                               "nats": account}, operator, issued_at=iat),
            "system": encode({"sub": keys["system"].public, "name": "SYS",
                              "nats": {"limits": account_limits, "type": "account",
                                       "version": 2}}, operator),
        }  # fmt: skip
        _private_dir(self.root / "jwt")
        for which, token in jwts.items():
            (self.root / "jwt" / f"{which}.jwt").write_text(token + "\n", encoding="utf-8")
        self._save()

    def _save(self) -> None:
        text = json.dumps(self._state, indent=2, sort_keys=True) + "\n"
        _write_secret(self.root / "fleet.json", text)
