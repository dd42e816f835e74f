"""The hard limits of limits.json, resolved to the spec fields they bound."""

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from tests.conformance.html_text import HtmlRules
from tests.conformance.schema import ARRAY, ObjectSchema, Schema

# Bot API "Formatting options" (a prose section the spec JSON leaves out).
PARSE_MODES = ("HTML", "MarkdownV2", "Markdown")
# A limit's `source` names the spec field it comes from: "spec sendPoll.question",
# "spec (10.0) sendPoll.options", "spec sendPoll.open_period/close_date".
_SPEC_REF = re.compile(r"\bspec (?:\([^)]*\) )?([A-Za-z]\w*)\.(\w+)")
_BOUNDS = frozenset({"min", "max", "pattern", "max_line_feeds"})
_UNITS = {
    "chars": "characters",
    "chars_after_parsing": "characters after entity parsing",
    "utf8_bytes": "UTF-8 bytes",
}
_DEFAULT_UNITS = {"text": "characters", "number": ""}
# Links that carry a deep-link payload: t.me/<bot>?start=… and tg://resolve?domain=…&start=….
_LINK = re.compile(r"\b(?:t|telegram)\.me/\w+\?[^\s\"'<>]*|tg://resolve\?[^\s\"'<>]*")
_LINK_PAYLOADS = ("start", "startgroup")
_DEEP_LINK_ID = "deep_link.start_payload"

Finding = tuple[str, str]
"""A path suffix inside the checked field (`""` or `"[3]"`) and what is wrong there."""


def _bounds(low: int | None, high: int | None) -> str:
    if low is None:
        return f"at most {high}"
    return f"at least {low}" if high is None else f"{low}..{high}"


@dataclass(frozen=True)
class Limit:
    """One bound from limits.json on one field of a method or type."""

    id: str
    field: str
    measure: str  # "text", "count", "number", "row" (each inner array) or "total" (all items)
    unit: str
    low: int | None
    high: int | None
    pattern: re.Pattern[str] | None
    max_line_feeds: int | None

    def check(self, value: object, parsed: str | None) -> list[Finding]:
        """What in `value` breaks this limit; `parsed` is its text after HTML parsing, if any."""
        if self.measure == "row" and isinstance(value, list):
            sizes = [(f"[{i}]", len(r)) for i, r in enumerate(value) if isinstance(r, list)]
        elif self.measure == "total" and isinstance(value, list):
            sizes = [("", sum(len(r) for r in value if isinstance(r, list)))]
        elif self.measure == "count" and isinstance(value, list):
            sizes = [("", len(value))]
        elif self.measure == "number" and type(value) in (int, float):
            sizes = [("", value)]
        elif self.measure == "text" and isinstance(value, str):
            return self._check_text(value, parsed)
        else:
            return []  # a type violation, reported by the type check
        return [(at, self._out_of_bounds(size)) for at, size in sizes if not self._fits(size)]

    def _check_text(self, value: str, parsed: str | None) -> list[Finding]:
        if self.unit == "utf8_bytes":
            size = len(value.encode())
        elif self.unit == "chars_after_parsing":  # the server strips the parsed text
            value = (value if parsed is None else parsed).strip()
            size = len(value)
        else:
            size = len(value)
        findings = [] if self._fits(size) else [("", self._out_of_bounds(size))]
        if self.pattern and not self.pattern.fullmatch(value):
            findings.append(("", f"{value!r} does not match {self.pattern.pattern} ({self.id})"))
        if self.max_line_feeds is not None and value.count("\n") > self.max_line_feeds:
            lines = f"{value.count(chr(10))} line feeds, at most {self.max_line_feeds}"
            findings.append(("", f"{lines} ({self.id})"))
        return findings

    def _fits(self, size: float) -> bool:
        return (self.low is None or size >= self.low) and (self.high is None or size <= self.high)

    def _out_of_bounds(self, size: float) -> str:
        unit = _UNITS.get(self.unit, self.unit) or _DEFAULT_UNITS.get(self.measure, "items")
        return f"{size} {unit}".strip() + f", allowed {_bounds(self.low, self.high)} ({self.id})"


@dataclass(frozen=True)
class FileLimit:
    """A maximum size for multipart uploads, for one field name or (field None) for any file."""

    id: str
    field: str | None
    max_bytes: int


def _measure(owner: ObjectSchema, field: str, limit_id: str) -> str:
    kind = owner.fields[field].types[0]
    if kind.startswith(ARRAY + ARRAY):
        return "row" if "per_row" in limit_id else "total"
    if kind.startswith(ARRAY):
        return "count"
    return "number" if kind in ("Integer", "Float") else "text"


def _targets(entry: Mapping[str, Any], schema: Schema) -> list[tuple[ObjectSchema, str]]:
    """The (method or type, field) pairs a limit applies to; [] when it bounds no request."""
    limit_id = entry["id"]
    if "methods" in entry:
        field = limit_id.rsplit(".", 1)[-1]
        owners = [schema.method(m) for m in entry["methods"]]
        if any(o is None or field not in o.fields for o in owners):
            raise ValueError(f"limits.json {limit_id}: {entry['methods']}.{field} not in the spec")
        return [(o, field) for o in owners if o]
    referenced = [(schema.owner(o), f) for o, f in _SPEC_REF.findall(entry["source"])]
    if found := [(o, f) for o, f in referenced if o and f in o.fields]:
        return found
    head, _, tail = limit_id.partition(".")
    owner = schema.owner(head)
    if owner and tail in owner.fields:
        return [(owner, tail)]
    # "inline_keyboard.buttons_per_row": `head` is a field holding an Array of Array.
    return [
        (t, head)
        for t in schema.types.values()
        if head in t.fields and t.fields[head].types[0].startswith(ARRAY + ARRAY)
    ]


def _limit(entry: Mapping[str, Any], owner: ObjectSchema, field: str) -> Limit:
    pattern = entry.get("pattern")
    return Limit(
        id=entry["id"],
        field=field,
        measure=_measure(owner, field, entry["id"]),
        unit=entry.get("unit", ""),
        low=entry.get("min"),
        high=entry.get("max"),
        pattern=re.compile(pattern) if pattern else None,
        max_line_feeds=entry.get("max_line_feeds"),
    )


def _file_limit(entry: Mapping[str, Any]) -> FileLimit:
    fields = {field for _, field in _SPEC_REF.findall(entry["source"])}
    return FileLimit(entry["id"], fields.pop() if len(fields) == 1 else None, entry["max_bytes"])


def _bounds_requests(entry: Mapping[str, Any]) -> bool:
    """Whether the entry bounds a request value (not a rate, nor a value the server clamps)."""
    clamped = "clamped" in entry.get("behaviour", "")
    return not _BOUNDS.isdisjoint(entry) and "per_s" not in entry and not clamped


class Rules:
    """Everything limits.json says about requests, indexed for the validator."""

    def __init__(self, limits_json: Mapping[str, Any], schema: Schema) -> None:
        self.html = HtmlRules.from_limits(limits_json["html_parse_mode"])
        self.limits: dict[str, list[Limit]] = {}
        self.file_limits: list[FileLimit] = []
        self.deep_link: re.Pattern[str] | None = None
        for entry in limits_json["limits"]:
            if entry["id"] == _DEEP_LINK_ID:
                self.deep_link = re.compile(entry["pattern"])
            elif entry["id"].startswith("upload.") and "max_bytes" in entry:
                self.file_limits.append(_file_limit(entry))
            elif _bounds_requests(entry):
                for owner, field in _targets(entry, schema):
                    self.limits.setdefault(owner.name, []).append(_limit(entry, owner, field))

    @property
    def applied(self) -> frozenset[str]:
        """The ids of the limits.json entries that are checked."""
        ids = {limit.id for limits in self.limits.values() for limit in limits}
        ids.update(limit.id for limit in self.file_limits)
        return frozenset(ids | ({_DEEP_LINK_ID} if self.deep_link else set()))

    def file_limit(self, field: str) -> FileLimit | None:
        """The upload size limit for a file sent for `field`: its own, else the general one."""
        own = [limit for limit in self.file_limits if limit.field == field]
        general = [limit for limit in self.file_limits if limit.field is None]
        return next(iter(own + general), None)

    def deep_link_findings(self, text: str) -> list[str]:
        """Deep links in `text` whose start payload the server would not accept."""
        if self.deep_link is None:
            return []
        findings = []
        for link in _LINK.findall(html.unescape(text)):
            query = link.split("?", 1)[1].split("#", 1)[0]
            for key, payload in parse_qsl(query, keep_blank_values=True):
                if key in _LINK_PAYLOADS and not self.deep_link.fullmatch(payload):
                    findings.append(
                        f"deep link {key}={payload!r} does not match {self.deep_link.pattern}"
                        f" ({_DEEP_LINK_ID})"
                    )
        return findings
