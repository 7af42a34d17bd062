"""Security Scheme objects: one model per ``type``, chosen by the ``type`` field."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from specgen.model.base import Node


class _Scheme(Node):
    kind = "security scheme"

    description: str | None = None


class UserPassword(_Scheme):
    type: Literal["userPassword"]


class ApiKey(_Scheme):
    type: Literal["apiKey"]
    in_: Literal["user", "password"] = Field(alias="in", description="'user' or 'password'")


class X509(_Scheme):
    type: Literal["X509"]


class SymmetricEncryption(_Scheme):
    type: Literal["symmetricEncryption"]


class AsymmetricEncryption(_Scheme):
    type: Literal["asymmetricEncryption"]


class HttpScheme(_Scheme):
    """HTTP authentication other than bearer (``basic``, ``digest``, ...)."""

    type: Literal["http"]
    scheme: str = Field(description="the HTTP Authorization scheme, e.g. basic")


class HttpBearer(_Scheme):
    type: Literal["http"]
    scheme: Literal["bearer"]
    bearer_format: str | None = None


class HttpApiKey(_Scheme):
    type: Literal["httpApiKey"]
    name: str = Field(description="the name of the header, query or cookie parameter")
    in_: Literal["header", "query", "cookie"] = Field(
        alias="in", description="'header', 'query' or 'cookie'"
    )


class _OAuthFlow(Node):
    kind = "OAuth flow object"

    refresh_url: str | None = None
    available_scopes: dict[str, str] = Field(description="scope names mapped to descriptions")


class ImplicitFlow(_OAuthFlow):
    authorization_url: str = Field(description="the authorization URL")


class TokenFlow(_OAuthFlow):
    """The ``password`` and ``clientCredentials`` flows."""

    token_url: str = Field(description="the token URL")


class AuthorizationCodeFlow(_OAuthFlow):
    authorization_url: str = Field(description="the authorization URL")
    token_url: str = Field(description="the token URL")


class OAuthFlows(Node):
    kind = "OAuth flows object"
    allow_extensions = False

    implicit: ImplicitFlow | None = None
    password: TokenFlow | None = None
    client_credentials: TokenFlow | None = None
    authorization_code: AuthorizationCodeFlow | None = None


class OAuth2(_Scheme):
    type: Literal["oauth2"]
    flows: OAuthFlows = Field(description="the OAuth flows this scheme supports")
    scopes: list[str] | None = None


class OpenIdConnect(_Scheme):
    type: Literal["openIdConnect"]
    open_id_connect_url: str = Field(description="the OpenID Connect discovery URL")
    scopes: list[str] | None = None


class SaslPlain(_Scheme):
    type: Literal["plain"]


class SaslScram(_Scheme):
    type: Literal["scramSha256", "scramSha512"]


class SaslGssapi(_Scheme):
    type: Literal["gssapi"]


SCHEME_TYPES: dict[str, type[_Scheme]] = {
    "userPassword": UserPassword,
    "apiKey": ApiKey,
    "X509": X509,
    "symmetricEncryption": SymmetricEncryption,
    "asymmetricEncryption": AsymmetricEncryption,
    "http": HttpScheme,
    "httpApiKey": HttpApiKey,
    "oauth2": OAuth2,
    "openIdConnect": OpenIdConnect,
    "plain": SaslPlain,
    "scramSha256": SaslScram,
    "scramSha512": SaslScram,
    "gssapi": SaslGssapi,
}
"""Every valid security scheme ``type``."""

_BEARER = "<http bearer>"


def _scheme_tag(value: Any) -> str | None:
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        return None
    kind: str = value["type"]
    if kind == "http" and value.get("scheme") == "bearer":
        return _BEARER
    return f"<{kind}>"


SecurityScheme = Annotated[
    Annotated[UserPassword, Tag("<userPassword>")]
    | Annotated[ApiKey, Tag("<apiKey>")]
    | Annotated[X509, Tag("<X509>")]
    | Annotated[SymmetricEncryption, Tag("<symmetricEncryption>")]
    | Annotated[AsymmetricEncryption, Tag("<asymmetricEncryption>")]
    | Annotated[HttpScheme, Tag("<http>")]
    | Annotated[HttpBearer, Tag(_BEARER)]
    | Annotated[HttpApiKey, Tag("<httpApiKey>")]
    | Annotated[OAuth2, Tag("<oauth2>")]
    | Annotated[OpenIdConnect, Tag("<openIdConnect>")]
    | Annotated[SaslPlain, Tag("<plain>")]
    | Annotated[SaslScram, Tag("<scramSha256>")]
    | Annotated[SaslScram, Tag("<scramSha512>")]
    | Annotated[SaslGssapi, Tag("<gssapi>")],
    Discriminator(_scheme_tag),
]
"""A Security Scheme object; its ``type`` (and for ``http`` its ``scheme``) picks the model."""
