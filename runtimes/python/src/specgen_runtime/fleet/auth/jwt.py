"""NATS JWTs (v2) and nkeys: build, sign, read and decorate, in-process (no ``nsc``).

A NATS JWT is ``base64url(header) . base64url(claims) . base64url(ed25519 signature)``, the
header being ``{"typ":"JWT","alg":"ed25519-nkey"}`` and the signature made by the issuer's
nkey over the first two parts. Claims carry the standard fields (``jti``, ``iat``, ``iss``,
``name``, ``sub``) and a ``nats`` object with the type-specific part (operator, account,
user). ``jti`` is the base32 SHA-512/256 of the standard fields with ``jti`` empty, as the
reference implementation computes it, so a JWT is reproducible from its claims and time::

    operator = new_key("operator")
    token = encode({"sub": operator.public, "name": "fleet", "nats": {...}}, operator)
    claims = decode(token)           # checks the signature; raises AuthError otherwise

Seeds (secrets) never appear in ``repr`` or error messages.
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any, Literal

import nkeys  # type: ignore[import-untyped]
from nacl.signing import VerifyKey

from specgen_runtime.fleet.errors import FleetError

__all__ = [
    "AuthError",
    "Key",
    "KeyKind",
    "creds_text",
    "decode",
    "encode",
    "key_from_seed",
    "new_key",
]

KeyKind = Literal["operator", "account", "user"]
_PREFIX = {
    "operator": nkeys.PREFIX_BYTE_OPERATOR,
    "account": nkeys.PREFIX_BYTE_ACCOUNT,
    "user": nkeys.PREFIX_BYTE_USER,
}
_HEADER = {"typ": "JWT", "alg": "ed25519-nkey"}
# The standard claims, in the order the reference implementation serialises them.
_STANDARD = ("aud", "exp", "jti", "iat", "iss", "name", "nbf", "sub")


class AuthError(FleetError):
    """Keys, JWTs or credentials are invalid, or the auth folder is incomplete."""


@dataclass(frozen=True)
class Key:
    """An nkey pair: ``public`` (shareable) and ``seed`` (secret, kept out of repr)."""

    public: str
    seed: bytes = field(repr=False)

    def sign(self, data: bytes) -> bytes:
        pair = nkeys.from_seed(bytearray(self.seed))
        try:
            signature: bytes = pair.sign(data)
        finally:
            pair.wipe()
        return signature


def new_key(kind: KeyKind) -> Key:
    """A fresh random nkey of ``kind`` (32 bytes from the OS's secure source)."""
    import secrets

    seed = nkeys.encode_seed(secrets.token_bytes(32), _PREFIX[kind])
    return key_from_seed(seed)


def key_from_seed(seed: bytes | str) -> Key:
    raw = seed.encode() if isinstance(seed, str) else bytes(seed)
    try:
        pair = nkeys.from_seed(bytearray(raw.strip()))
        public = pair.public_key.decode()
        pair.wipe()
    except Exception as exc:  # noqa: BLE001 - nkeys raises its own and binascii errors
        raise AuthError(f"not a valid nkey seed ({type(exc).__name__})") from None
    return Key(public=public, seed=raw.strip())


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _json(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode()


def _jti(claims: dict[str, Any]) -> str:
    standard = {k: claims[k] for k in _STANDARD if claims.get(k) not in (None, "", 0)}
    standard.pop("jti", None)
    digest = hashlib.new("sha512_256", _json(standard)).digest()
    return base64.b32encode(digest).rstrip(b"=").decode()


def encode(claims: dict[str, Any], issuer: Key, *, issued_at: int | None = None) -> str:
    """Sign ``claims`` (``sub`` and ``nats`` required) as ``issuer``; sets iss, iat, jti."""
    if not claims.get("sub"):
        raise AuthError("a JWT needs a subject")
    body = {k: v for k, v in claims.items() if k not in ("iss", "iat", "jti")}
    body["iat"] = int(time.time()) if issued_at is None else issued_at
    body["iss"] = issuer.public
    ordered = {k: body[k] for k in _STANDARD if k in body}
    ordered["jti"] = _jti(ordered)
    ordered = {k: ordered[k] for k in _STANDARD if k in ordered}
    ordered.update({k: v for k, v in body.items() if k not in _STANDARD})
    signed = f"{_b64(_json(_HEADER))}.{_b64(_json(ordered))}"
    return f"{signed}.{_b64(issuer.sign(signed.encode()))}"


def decode(token: str) -> dict[str, Any]:
    """The claims of ``token`` after checking its header and its issuer's signature."""
    parts = token.strip().split(".")
    if len(parts) != 3:
        raise AuthError("not a JWT (expected three dot-separated parts)")
    try:
        header = json.loads(_unb64(parts[0]))
        claims: dict[str, Any] = json.loads(_unb64(parts[1]))
        signature = _unb64(parts[2])
    except ValueError as exc:
        raise AuthError(f"not a JWT: {exc}") from None
    if header.get("alg", "").lower() != _HEADER["alg"]:
        raise AuthError(f"unsupported JWT algorithm {header.get('alg')!r}")
    issuer = str(claims.get("iss", ""))
    try:
        VerifyKey(_raw_public(issuer)).verify(f"{parts[0]}.{parts[1]}".encode(), signature)
    except Exception:  # noqa: BLE001 - any failure means the signature does not hold
        raise AuthError(f"the JWT's signature does not verify for issuer {issuer}") from None
    return claims


def _raw_public(public: str) -> bytes:
    """The 32 ed25519 bytes of an encoded public nkey (prefix byte and CRC16 checked)."""
    data = base64.b32decode(public + "=" * (-len(public) % 8))
    if len(data) != 35 or not nkeys.valid_public_prefix_byte(data[0]):
        raise AuthError(f"{public!r} is not a public nkey")
    if nkeys.crc16(bytearray(data[:-2])).to_bytes(2, "little") != data[-2:]:
        raise AuthError(f"{public!r} is not a public nkey (checksum)")
    return data[1:-2]


def creds_text(user_jwt: str, user: Key) -> str:
    """A ``.creds`` file: the user JWT and its seed, in the decorated form clients read."""
    return (
        "-----BEGIN NATS USER JWT-----\n"
        f"{user_jwt}\n"
        "------END NATS USER JWT------\n\n"
        "************************* IMPORTANT *************************\n"
        "NKEY Seed printed below can be used to sign and prove identity.\n"
        "NKEYs are sensitive and should be treated as secrets.\n\n"
        "-----BEGIN USER NKEY SEED-----\n"
        f"{user.seed.decode()}\n"
        "------END USER NKEY SEED------\n\n"
        "*************************************************************\n"
    )
