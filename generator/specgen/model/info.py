"""Info, Contact, License, Tag and External Documentation objects."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from specgen.model.base import UNIQUE, Node


class ExternalDocs(Node):
    kind = "external documentation object"

    url: str = Field(description="the URL of the documentation")
    description: str | None = None


class Tag(Node):
    kind = "tag"

    name: str = Field(description="the tag's name")
    description: str | None = None
    external_docs: ExternalDocs | None = None


Tags = Annotated[list[Tag], UNIQUE]


class Contact(Node):
    kind = "contact object"

    name: str | None = None
    url: str | None = None
    email: str | None = None


class License(Node):
    kind = "license object"

    name: str = Field(description="the license name, e.g. Apache 2.0")
    url: str | None = None


LinkedInUrl = Annotated[str, StringConstraints(pattern=r"^http(s)?://(www\.)?linkedin\.com.*$")]


class Info(Node):
    kind = "info object"

    title: str = Field(description="the title of the application")
    version: str = Field(description="the version of the application's API, e.g. 1.0.0")
    description: str | None = None
    terms_of_service: str | None = None
    contact: Contact | None = None
    license: License | None = None
    tags: Tags | None = None
    external_docs: ExternalDocs | None = None
    x_x: str | None = Field(default=None, alias="x-x")
    x_linkedin: LinkedInUrl | None = Field(default=None, alias="x-linkedin")
