"""The Bot API spec JSON as field lists, plus the rules its prose states about them."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

ARRAY = "Array of "
# Subtype discriminators: "Scope type, must be chat", 'Type of the reaction, always "emoji"'.
_CONSTANT = re.compile(r'(?:must be|always) "?([a-z][a-z0-9_]*)"?\.?$')
# "Exactly one of the fields other than text, icon_custom_emoji_id, and style must be used".
_OTHER_THAN = re.compile(r"(Exactly|At most) one of the fields other than (.+?) must be used")
_NAME_LIST = re.compile(r",\s*(?:and\s+)?|\s+and\s+")
# "You must use exactly one of the optional fields."
_ONE_OPTIONAL = "must use exactly one of the optional fields"
# "For simple text buttons, String can be used instead of this object".
_STRING_INSTEAD = "String can be used instead of this object"
# "Mode for parsing entities in the photo caption." names the text field it applies to.
_PARSED_WORD = re.compile(r"Mode for parsing entities in the (?:[\w ]+ )?(\w+)\.")


@dataclass(frozen=True)
class Field:
    """One parameter of a method or field of a type."""

    name: str
    types: tuple[str, ...]
    required: bool
    description: str

    @property
    def accepts_attach(self) -> bool:
        """Whether the value may be an `attach://<name>` reference to a multipart file."""
        return "InputFile" in self.types or "attach://" in self.description


@dataclass(frozen=True)
class Exclusive:
    """A group of fields of which exactly one (or at most one) may be set."""

    names: frozenset[str]
    exactly: bool


@dataclass(frozen=True)
class ObjectSchema:
    """A method's parameters or a type's fields, with the rules stated in its description."""

    name: str
    fields: Mapping[str, Field]
    subtypes: tuple[str, ...]
    discriminator: tuple[str, str] | None
    exclusive: Exclusive | None
    string_allowed: bool
    parse_modes: Mapping[str, str]


def _fields(entry: Mapping[str, Any]) -> dict[str, Field]:
    return {
        f["name"]: Field(f["name"], tuple(f["types"]), f["required"], f["description"])
        for f in entry.get("fields", ())
    }


def _exclusive(description: str, fields: Mapping[str, Field]) -> Exclusive | None:
    if match := _OTHER_THAN.search(description):
        others = {n.strip() for n in _NAME_LIST.split(match[2])}
        return Exclusive(frozenset(fields.keys() - others), match[1] == "Exactly")
    if _ONE_OPTIONAL in description:
        return Exclusive(frozenset(n for n, f in fields.items() if not f.required), True)
    return None


def _parse_modes(fields: Mapping[str, Field]) -> dict[str, str]:
    """Map each `*parse_mode` field to the text field it formats."""
    targets = {}
    for name, field in fields.items():
        if not name.endswith("parse_mode"):
            continue
        prefix = name.removesuffix("parse_mode").rstrip("_")
        match = _PARSED_WORD.search(field.description)
        word = prefix or (match[1] if match else "")
        found = [word] if word in fields else [f for f in fields if f.endswith(f"_{word}")]
        if word and found:
            targets[name] = found[0]
    return targets


def _discriminator(fields: Mapping[str, Field]) -> tuple[str, str] | None:
    for field in fields.values():
        if field.required and (match := _CONSTANT.search(field.description)):
            return field.name, match[1]
    return None


class Schema:
    """Every method and type of one Bot API version, looked up by name."""

    def __init__(self, api: Mapping[str, Any]) -> None:
        subtypes = {s for t in api["types"].values() for s in t.get("subtypes", ())}
        self.methods = {n: self._object(n, m, False) for n, m in api["methods"].items()}
        self.types = {n: self._object(n, t, n in subtypes) for n, t in api["types"].items()}
        self._lower = {name.lower(): name for name in self.methods}

    @staticmethod
    def _object(name: str, entry: Mapping[str, Any], is_subtype: bool) -> ObjectSchema:
        fields = _fields(entry)
        description = " ".join(entry.get("description", ()))
        return ObjectSchema(
            name=name,
            fields=fields,
            subtypes=tuple(entry.get("subtypes", ())),
            discriminator=_discriminator(fields) if is_subtype else None,
            exclusive=_exclusive(description, fields),
            string_allowed=_STRING_INSTEAD in description,
            parse_modes=_parse_modes(fields),
        )

    def method(self, name: str) -> ObjectSchema | None:
        """The method called `name`, matched case-insensitively as the server does."""
        canonical = self._lower.get(name.lower())
        return self.methods[canonical] if canonical else None

    def owner(self, name: str) -> ObjectSchema | None:
        """The method or type called `name` (types take CamelCase or snake_case names)."""
        camel = "".join(part[:1].upper() + part[1:] for part in name.split("_"))
        return self.method(name) or self.types.get(name) or self.types.get(camel)
