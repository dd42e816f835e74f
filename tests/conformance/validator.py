"""Check one request, field by field, against the spec schema and the limits."""

import json
from collections.abc import Callable, Collection, Mapping, Sequence

from tests.conformance.html_text import reduce_html
from tests.conformance.limits import PARSE_MODES, Rules
from tests.conformance.schema import ARRAY, ObjectSchema, Schema

Violation = tuple[str, str]
"""The path of the offending field (`reply_markup.inline_keyboard[0][2].callback_data`) and why."""

_ATTACH = "attach://"
_SCALARS: dict[str, Callable[[object], bool]] = {
    "Integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "Float": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "Boolean": lambda v: isinstance(v, bool),
    "String": lambda v: isinstance(v, str),
    "InputFile": lambda v: isinstance(v, str) and v != "",  # a file_id, URL or attach://
}
# Top-level values sent as-is: every other parameter is JSON-encoded by the client.
_RAW_TYPES = frozenset({"String", "InputFile"})


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _union(types: Sequence[str]) -> str:
    return " or ".join(types)


def _describe(value: object) -> str:
    shown = json.dumps(value, ensure_ascii=False)
    return shown if len(shown) <= 60 else f"{shown[:57]}..."


def _mismatch(value: Mapping[str, object], schema: ObjectSchema) -> int:
    """How far the keys of `value` are from the fields of `schema` (0: same shape)."""
    missing = [f for f in schema.fields.values() if f.required and f.name not in value]
    return len(value.keys() - schema.fields.keys()) + len(missing)


class RequestValidator:
    """Validates one request; `attach://` references are matched with its multipart files."""

    def __init__(self, schema: Schema, rules: Rules, files: Mapping[str, int]) -> None:
        self.schema = schema
        self.rules = rules
        self.files = files
        self.attached: dict[str, str] = {}  # attach name -> the field that references it

    def check(self, method: ObjectSchema, params: Mapping[str, str]) -> list[Violation]:
        """Every violation in a call of `method` with these form values and the files."""
        violations: list[Violation] = []
        values: dict[str, object] = {}
        for name, raw in params.items():
            field = method.fields.get(name)
            if field is None or not _RAW_TYPES.isdisjoint(field.types):
                values[name] = raw
                continue
            try:
                values[name] = json.loads(raw)
            except ValueError:
                violations.append((name, f"expected {_union(field.types)}, got {raw!r}"))
        uploads = {n for n in self.files if n in method.fields}
        present = params.keys() | uploads
        violations += self._object(method, values, "", present)
        return violations + self._check_files(method, uploads)

    def _check_files(self, method: ObjectSchema, uploads: Collection[str]) -> list[Violation]:
        violations = []
        for name, size in self.files.items():
            field = name if name in uploads else self.attached.get(name)
            if field is None:
                reason = "neither an InputFile parameter nor referenced by attach://"
                violations.append((f"files[{name!r}]", f"uploaded file is {reason}"))
                continue
            if name in uploads and "InputFile" not in method.fields[name].types:
                types = _union(method.fields[name].types)
                violations.append((name, f"uploaded as a file, but the parameter is {types}"))
            limit = self.rules.file_limit(field)
            if limit and size > limit.max_bytes:
                found = f"{size} bytes, at most {limit.max_bytes}"
                violations.append((f"files[{name!r}]", f"{found} ({limit.id})"))
        return violations

    def _types(self, value: object, types: Sequence[str], path: str) -> list[Violation]:
        """Check a value against a field's types (several: any one of them)."""
        if len(types) > 1 and all(t.startswith(ARRAY) for t in types):
            # "Array of InputMediaPhoto and InputMediaVideo" is scraped as a union of arrays,
            # but the docs mean an array whose items may mix these types.
            if not isinstance(value, list):
                return [(path, f"expected {_union(types)}, got {_describe(value)}")]
            inner = [t.removeprefix(ARRAY) for t in types]
            return [
                v for i, item in enumerate(value) for v in self._types(item, inner, f"{path}[{i}]")
            ]
        if len(types) == 1:
            return self._type(value, types[0], path)
        if not all([self._type(value, t, path) for t in types]):
            return []  # one of the types accepts it
        objects = [self.schema.types[t] for t in types if t in self.schema.types]
        if isinstance(value, dict) and objects:
            return self._best(value, objects, path, _union(types))
        return [(path, f"expected {_union(types)}, got {_describe(value)}")]

    def _type(self, value: object, kind: str, path: str) -> list[Violation]:
        if kind.startswith(ARRAY):
            if not isinstance(value, list):
                return [(path, f"expected {kind}, got {_describe(value)}")]
            item = kind.removeprefix(ARRAY)
            return [v for i, x in enumerate(value) for v in self._type(x, item, f"{path}[{i}]")]
        if kind in _SCALARS:
            if _SCALARS[kind](value):
                return []
            return [(path, f"expected {kind}, got {_describe(value)}")]
        schema = self.schema.types[kind]
        if isinstance(value, str) and schema.string_allowed:
            return []
        if not isinstance(value, dict):
            return [(path, f"expected a {kind} object, got {_describe(value)}")]
        return self._object(schema, value, path)

    def _best(
        self, value: Mapping[str, object], candidates: Sequence[ObjectSchema], path: str, label: str
    ) -> list[Violation]:
        """Accept `value` if it is any candidate (of its discriminator); else report the closest."""
        keyed = [(c, c.discriminator) for c in candidates if c.discriminator]
        if len(keyed) == len(candidates):  # each candidate has a constant `type`-like field
            candidates = [c for c, (field, constant) in keyed if value.get(field) == constant]
            if not candidates:
                field = keyed[0][1][0]
                expected = ", ".join(sorted({constant for _, (_, constant) in keyed}))
                found = _describe(value.get(field))
                return [
                    (_join(path, field), f"{found} is not one of {expected} ({field} of {label})")
                ]
        attempts = [(self._object(c, value, path), c) for c in candidates]
        if any(not violations for violations, _ in attempts):
            return []
        return min(attempts, key=lambda a: (_mismatch(value, a[1]), len(a[0])))[0]

    def _object(
        self,
        schema: ObjectSchema,
        value: Mapping[str, object],
        path: str,
        present: Collection[str] | None = None,
    ) -> list[Violation]:
        """Check an object's (or a method's) fields: unknown, missing, types, then its rules."""
        if schema.subtypes:
            subtypes = [self.schema.types[name] for name in schema.subtypes]
            return self._best(value, subtypes, path, schema.name)
        violations = []
        for name, item in value.items():
            field = schema.fields.get(name)
            if field is None:
                violations.append((_join(path, name), f"unknown field of {schema.name}"))
                continue
            violations += self._types(item, field.types, _join(path, name))
            if field.accepts_attach and isinstance(item, str) and item.startswith(_ATTACH):
                violations += self._attach(item.removeprefix(_ATTACH), name, _join(path, name))
        present = value.keys() if present is None else present
        for field in schema.fields.values():
            if field.required and field.name not in present:
                violations.append(
                    (_join(path, field.name), f"required field of {schema.name} is missing")
                )
        if schema.discriminator:
            name, expected = schema.discriminator
            if name in value and value[name] != expected:
                violations.append((_join(path, name), f"must be {expected!r} for {schema.name}"))
        return violations + self._rules(schema, value, path)

    def _attach(self, attach_name: str, field: str, path: str) -> list[Violation]:
        self.attached[attach_name] = field
        if attach_name in self.files:
            return []
        return [(path, f"attach://{attach_name} names no uploaded file")]

    def _rules(
        self, schema: ObjectSchema, value: Mapping[str, object], path: str
    ) -> list[Violation]:
        """The checks beyond types: parse modes and HTML, limits, exclusive fields, deep links."""
        violations, parsed = self._parse_modes(schema, value, path)
        for limit in self.rules.limits.get(schema.name, ()):
            if limit.field in value:
                findings = limit.check(value[limit.field], parsed.get(limit.field))
                violations += [(_join(path, limit.field) + at, why) for at, why in findings]
        if schema.exclusive:
            used = sorted(schema.exclusive.names & value.keys())
            if len(used) > 1 or (schema.exclusive.exactly and not used):
                rule = "exactly one" if schema.exclusive.exactly else "at most one"
                names = ", ".join(sorted(schema.exclusive.names))
                violations.append(
                    (path, f"{schema.name} needs {rule} of {names}; got {used or 'none'}")
                )
        for name, item in value.items():
            if isinstance(item, str):
                violations += [(_join(path, name), f) for f in self.rules.deep_link_findings(item)]
        return violations

    def _parse_modes(
        self, schema: ObjectSchema, value: Mapping[str, object], path: str
    ) -> tuple[list[Violation], dict[str, str]]:
        """Check parse modes and HTML; return the violations and the texts once HTML-parsed."""
        violations, parsed = [], {}
        for mode_field, text_field in schema.parse_modes.items():
            mode, text = value.get(mode_field), value.get(text_field)
            if mode is not None and mode not in PARSE_MODES:
                allowed = ", ".join(PARSE_MODES)
                violations.append(
                    (_join(path, mode_field), f"{_describe(mode)} is not one of {allowed}")
                )
            elif mode == "HTML" and isinstance(text, str):
                reduction = reduce_html(text, self.rules.html)
                parsed[text_field] = reduction.text
                at = _join(path, text_field)
                violations += [(at, f"invalid HTML: {error}") for error in reduction.errors]
        return violations, parsed
