"""Schemathesis hooks: every string an operation takes also gets known-bad values.

Loaded by the schemathesis CLI (SCHEMATHESIS_HOOKS=tests.api.schemathesis_known_bad)
in tests/api/test_schemathesis_known_bad.py. Random generation rarely puts a
NUL into an action's `owner`, never an overflowing date into `received_at`
and never a CPR number into free text; issue 8 found 500s and stored CPR
numbers exactly there. So for every operation, `before_add_examples` adds one
explicit case per (string field, known-bad value), deterministically:

- each string in the JSON body (nested objects and array items too, found
  by walking the request schema) and each string query parameter gets every
  value of TEXT: NUL, other control characters, lone surrogates (JSON
  escapes them), 10,000 characters, and a CPR number in every separator
  variant of issue 8;
- each `date` / `date-time` field also gets DATES / MOMENTS: year 0,
  9999-12-31T23:59:59+14:00, 10000-01-01, "-1" and -1.

A POST keeps the rest of the operation's example body, so the bad value
reaches the serializer; a PATCH sends the one field alone, with the row's
current ETag in If-Match (`before_call`), so it passes the 428/412 check and
reaches validation too. The case carries what it injected in an
`X-Known-Bad` header, and the check `known_bad_values_refused` holds the
server to it:

- a NUL, a lone surrogate or an out-of-range date in a body is a 400 whose
  errors name that field (nemid_cases/parsers.py, nemid_cases/moments.py);
- a CPR number outside a `cpr` field is a 400 naming the field, or (a
  search that drops it) it never comes back in plain text: not in the
  answer, and not in a later GET of the path, its parent and the created row.

Everything else (control characters, long strings, dates in query
parameters) must only be answered without a 5xx and as the schema says,
which the run's other checks assert.
"""

from __future__ import annotations

import copy
import json
import os
import re

import requests
import schemathesis

import tests.api.schemathesis_serializers  # noqa: F401  (message/rfc822 bodies)

CPR_DIGITS = "1106821449"
# Issue 8: the variants the enquiry subject let through, and the plain ones.
CPR_VARIANTS = [
    "1106821449",
    "110682-1449",
    "110682/1449",
    "11.06.82-1449",
    "110682\u20131449",  # en dash
    "110682 - 1449",
    "11 06 82 1449",
    "110682\u200b1449",  # zero-width space
    "110682_1449",
]
# One field at a time: the parser stops at the first NUL or surrogate, and
# the 500 of issue 8 was one field's look-up.
PER_FIELD = [("nul", "owner\x00code"), ("surrogate", "x\udfffy")]
# Every string field of the body at once: nothing names a field for these,
# or (CPR numbers) every field must be named in the one 400.
ALL_FIELDS = [
    ("control", "\x01\x02\x1b[31m\x7f line\u2028separator\x85next\x0bvertical\x0cfeed"),
    ("long", "x" * 10_000),
    ("long", "\u00e6\u200b" * 5_000),
    ("cpr", "Ring til 110682-1449"),
    *(("cpr", variant) for variant in CPR_VARIANTS),
]
TEXT = PER_FIELD + ALL_FIELDS
# A URL carries no lone surrogate (it is UTF-8), so query parameters get the rest.
QUERY = [("nul", "owner\x00code"), ("control", ALL_FIELDS[1][1]), ("long", "x" * 10_000)] + [
    ("cpr", variant) for variant in ("110682-1449", "11 06 82 1449", "110682\u200b1449")
]
# Out of range for a date or date-time field; all of a body's at once (the
# serializer names each field it refuses).
DATES = [
    ("date", "0000-01-01"),
    ("date", "0001-01-01"),
    ("date", "9999-12-31"),
    ("date", "9999-12-31T23:59:59+14:00"),
    ("date", "10000-01-01"),
    ("date", "-1"),
    ("date", -1),
]
MOMENTS = [
    ("date", "0000-01-01T00:00:00Z"),
    ("date", "0001-01-01T00:00:00+14:00"),
    ("date", "9999-12-31T23:59:59+14:00"),
    ("date", "10000-01-01T00:00:00Z"),
    ("date", "-1"),
    ("date", -1),
]
# Values a body must refuse with a 400 naming the field.
REFUSED_IN_BODY = {"nul", "surrogate", "date"}
# Fields that hold a CPR number by design (encrypted on the citizen, or a look-up).
CPR_FIELDS = {"cpr"}
HEADER = "X-Known-Bad"
FORBIDDEN_IN_BASE = re.compile(r"[\x00-\x1f\x7f\ud800-\udfff]")


def _resolve(schema: dict, root: dict) -> dict:
    while isinstance(schema, dict) and "$ref" in schema:
        node = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            node = node[part]
        schema = node
    return schema


def string_slots(schema: dict, root: dict, path: tuple = (), depth: int = 0) -> dict:
    """{path: format} of every writable string in a request schema.

    A path is a tuple of keys; 0 stands for an array's first item.
    """
    schema = _resolve(schema, root)
    found: dict = {}
    if depth > 6 or not isinstance(schema, dict) or schema.get("readOnly"):
        return found
    for key in ("allOf", "anyOf", "oneOf"):
        for sub in schema.get(key, []):
            for slot, fmt in string_slots(sub, root, path, depth + 1).items():
                found.setdefault(slot, fmt)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        for name, sub in schema.get("properties", {}).items():
            found.update(string_slots(sub, root, (*path, name), depth + 1))
    elif kind == "array":
        found.update(string_slots(schema.get("items", {}), root, (*path, 0), depth + 1))
    elif kind == "string" and path and schema.get("format") != "binary":
        found.setdefault(path, schema.get("format"))
    return found


def _put(body, path: tuple, value):
    """A copy of body with value at path (objects and arrays made as needed)."""
    head, rest = path[0], path[1:]
    if head == 0:
        items = list(body) if isinstance(body, list) and body else [None]
        items[0] = _put(items[0], rest, value) if rest else value
        return items
    data = dict(body) if isinstance(body, dict) else {}
    data[head] = _put(data.get(head), rest, value) if rest else value
    return data


def _clean(value):
    """The example body without the bad characters random generation may add."""
    if isinstance(value, str):
        return FORBIDDEN_IN_BASE.sub("", value)
    if isinstance(value, dict):
        return {_clean(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _label(slot: dict) -> str:
    return json.dumps(slot, ensure_ascii=True)


def body_cases(slots: dict, method: str) -> list[tuple[dict, dict]]:
    """(slot label, {path: value}) for each body case of an operation."""
    cases = []
    for path in slots:
        for kind, value in PER_FIELD:
            cases.append(({"in": "body", "fields": [list(path)], "kind": kind}, {path: value}))
    for kind, value in ALL_FIELDS:
        paths = [p for p in slots if not (kind == "cpr" and p[-1] in CPR_FIELDS)]
        if paths:
            label = {"in": "body", "fields": [list(p) for p in paths], "kind": kind}
            cases.append((label, dict.fromkeys(paths, value)))
    for fmt, values in (("date", DATES), ("date-time", MOMENTS)):
        paths = [p for p, f in slots.items() if f == fmt]
        for kind, value in values if paths else []:
            label = {"in": "body", "fields": [list(p) for p in paths], "kind": kind}
            cases.append((label, dict.fromkeys(paths, value)))
    return cases


def query_cases(parameters: list[dict], root: dict) -> list[tuple[dict, str, object]]:
    """(slot label, name, value) for each query case of an operation."""
    cases = []
    for parameter in parameters:
        schema = _resolve(parameter.get("schema", {}), root)
        if parameter.get("in") != "query" or schema.get("type") != "string":
            continue
        name = parameter["name"]
        values = QUERY + {"date": DATES, "date-time": MOMENTS}.get(schema.get("format"), [])
        for kind, value in values:
            if not (kind == "cpr" and name in CPR_FIELDS):
                cases.append(({"in": "query", "fields": [[name]], "kind": kind}, name, value))
    return cases


@schemathesis.hook
def before_add_examples(context, examples):
    """Append the known-bad cases to the operation's example (the first one)."""
    operation = context.operation
    if operation is None or not examples:
        return
    root = operation.schema.raw_schema
    definition = operation.definition.raw
    base = examples[0]
    method = operation.method.upper()
    content = definition.get("requestBody", {}).get("content", {})
    base_body = _clean(copy.deepcopy(base.body)) if isinstance(base.body, dict) else None
    base_query = _clean(base.query) if base.query else None
    if "application/json" in content:
        slots = string_slots(content["application/json"].get("schema", {}), root)
        for label, values in body_cases(slots, method):
            # A PATCH sends the poisoned fields alone; a POST keeps the rest.
            body = {} if method == "PATCH" or base_body is None else base_body
            for path, value in values.items():
                body = _put(body, path, value)
            examples.append(
                operation.Case(
                    path_parameters=base.path_parameters,
                    query=base_query,
                    headers={HEADER: _label(label)},
                    body=body,
                    media_type="application/json",
                )
            )
    required = {
        p["name"]: (base.query or {}).get(p["name"])
        for p in definition.get("parameters", [])
        if p.get("in") == "query" and p.get("required")
    }
    body_kwargs = {}
    if base_body is not None and "application/json" in content:
        body_kwargs = {"body": base_body, "media_type": "application/json"}
    for label, name, value in query_cases(definition.get("parameters", []), root):
        examples.append(
            operation.Case(
                path_parameters=base.path_parameters,
                query={**_clean(required), name: value},
                headers={HEADER: _label(label)},
                **body_kwargs,
            )
        )


# --- talking to the server outside schemathesis (ETags, later GETs) ---

_session = requests.Session()
_etags: dict[str, str] = {}


def _server() -> tuple[str, dict]:
    return os.environ["KNOWN_BAD_BASE_URL"], {
        "Authorization": f"Token {os.environ['KNOWN_BAD_TOKEN']}"
    }


def _get(url: str) -> requests.Response:
    _base, headers = _server()
    return _session.get(url, headers=headers, timeout=10)


def _url(case) -> str:
    base, _headers = _server()
    return base + case.formatted_path


@schemathesis.hook
def before_call(context, case, kwargs):
    """A PATCH carries the row's current ETag, so its body is validated."""
    if case.method.upper() not in ("PATCH", "PUT") or HEADER not in (case.headers or {}):
        return
    url = _url(case)
    if url not in _etags:
        answer = _get(url)
        _etags[url] = answer.headers.get("ETag", '"0"')
    case.headers["If-Match"] = _etags[url]


@schemathesis.hook
def after_call(context, case, response):
    """Keep the ETags current: a write may change a row it does not PATCH."""
    if case.method.upper() == "GET" or not 200 <= response.status_code < 300:
        return
    _etags.clear()
    if case.method.upper() in ("PATCH", "PUT") and response.headers.get("ETag"):
        _etags[_url(case)] = response.headers["ETag"]


def _strings(data):
    """Every string in parsed JSON, keys included."""
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)


def shows_cpr(text: str) -> bool:
    """The CPR number in plain text, whatever separators surround its digits."""
    try:
        strings = list(_strings(json.loads(text)))
    except ValueError:
        strings = [text]
    return any(CPR_DIGITS in "".join(c for c in s if c.isascii() and c.isdigit()) for s in strings)


def _error_keys(data, prefix: str = "") -> set[str]:
    keys: set[str] = set()
    if isinstance(data, dict):
        for key, value in data.items():
            name = f"{prefix}{key}"
            keys.add(name)
            keys |= _error_keys(value, f"{name}.")
    return keys


def names_field(text: str, field: list) -> bool:
    """The 400's errors name the field (its dotted path; array indices optional)."""
    try:
        data = json.loads(text)
    except ValueError:
        return False
    wanted = ".".join(str(p) for p in field if p != 0)
    for key in _error_keys(data):
        bare = ".".join(p for p in key.split(".") if not p.isdigit())
        if bare == wanted or wanted.startswith(f"{bare}."):
            return True
    return False


def _later_urls(case, response) -> list[str]:
    url = _url(case)
    urls = [url, url.rstrip("/").rsplit("/", 1)[0] + "/"]
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict) and case.method.upper() == "POST":
        for key in ("id", "reference"):
            if isinstance(data.get(key), int | str):
                urls.append(f"{url}{data[key]}/")
    return urls


@schemathesis.check
def known_bad_values_refused(ctx, response, case):
    """What the X-Known-Bad header says was injected is refused or never shown."""
    label = (case.headers or {}).get(HEADER)
    if label is None:
        return None
    slot = json.loads(label)
    kind, fields, where = slot["kind"], slot["fields"], slot["in"]
    named = ", ".join(".".join(map(str, f)) for f in fields)
    status = response.status_code
    names_all = status == 400 and all(names_field(response.text, f) for f in fields)
    if where == "body" and kind in REFUSED_IN_BODY and not names_all:
        raise AssertionError(
            f"{kind} value in body field(s) {named}: expected a 400 naming each, "
            f"got {status}: {response.text[:500]}"
        )
    if kind != "cpr" or names_all:
        return True
    if status < 400:
        shown = [url for url in [None, *_later_urls(case, response)] if _shows(url, response)]
        if shown:
            raise AssertionError(
                f"CPR number in {where} field(s) {named} answered {status} and comes back "
                f"in plain text: {['this answer' if u is None else u for u in shown]}"
            )
        return True
    if where == "body" and status not in (403, 404, 405, 409, 412, 413, 428, 429):
        raise AssertionError(
            f"CPR number in body field(s) {named}: expected a 400 naming each, "
            f"got {status}: {response.text[:500]}"
        )
    return True


def _shows(url, response) -> bool:
    if url is None:
        return shows_cpr(response.text)
    later = _get(url)
    return later.status_code == 200 and shows_cpr(later.text)
