"""The API's one JSON parser (REST_FRAMEWORK's DEFAULT_PARSER_CLASSES).

Its own module: DRF reads the parser setting while `rest_framework.views`
is imported, so the parser cannot live beside code that imports the views.
"""

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers
from rest_framework.parsers import JSONParser
from rest_framework.settings import api_settings
from rest_framework.utils import json
from rest_framework.validators import ProhibitSurrogateCharactersValidator


def reject_unstorable_text(value: str) -> None:
    """Refuse text a database cannot store or compare (NUL, lone surrogates).

    CharField does this itself; slug look-ups (queue code, username) need it
    before they reach a query, or PostgreSQL fails with a 500.
    """
    ProhibitNullCharactersValidator()(value)
    ProhibitSurrogateCharactersValidator()(value)


# Deeper than any body the API documents (an action's new follow-up is 2).
MAX_JSON_DEPTH = 32


def _unstorable_text_message(text: str) -> str | None:
    """The message refusing text no database can hold, or None if it can."""
    try:
        reject_unstorable_text(text)
    except DjangoValidationError as error:
        return error.messages[0]
    except serializers.ValidationError as error:  # DRF's surrogate validator
        return str(error.detail[0])
    return None


def _refuse_unstorable_text(data) -> None:
    """Raise a 400 naming the field of the first string a database cannot hold.

    Walks the parsed body without recursion. The error has the shape of a
    serializer's: nested objects nest their field names; a bad item of a
    list names the list; a bad key names the key (NUL removed).
    """
    stack: list[tuple[object, tuple[str, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            message = _unstorable_text_message(value)
            if message:
                raise serializers.ValidationError(_error_at(path, message))
        elif isinstance(value, dict):
            for key, item in value.items():
                message = _unstorable_text_message(key)
                if message:
                    name = key.replace("\x00", "").encode("utf-8", "replace").decode()
                    raise serializers.ValidationError(_error_at((*path, name), message))
                stack.append((item, (*path, key)))
        elif isinstance(value, list):
            stack.extend((item, path) for item in value)


def _error_at(path: tuple[str, ...], message: str) -> dict:
    error: dict | list = [message]
    for name in reversed(path or (api_settings.NON_FIELD_ERRORS_KEY,)):
        error = {name: error}
    return error


def _depth(data) -> int:
    """How deep objects and arrays nest in parsed JSON, without recursion."""
    deepest = 0
    stack = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            depth += 1
            deepest = max(deepest, depth)
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth) for item in items)
    return deepest


class SafeJSONParser(JSONParser):
    """DRF's JSON parser, refusing what would fail later as a 500.

    Every API view parses JSON through this one class (the default parser
    and ApiViewMixin's), so every text field of every body is covered (a
    body over DATA_UPLOAD_MAX_MEMORY_SIZE never gets here: exception_handler
    answers it with a 413):
    - arrays or objects nested deeper than MAX_JSON_DEPTH are a 400 (5,000
      levels made the decoder raise RecursionError);
    - a NUL character or a lone surrogate anywhere, in a value or a key, is a
      400 naming the field, before any query sees it: PostgreSQL refuses NUL
      in text with an error, not a row.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read()
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = body.decode(encoding)
            parse_constant = json.strict_constant if self.strict else None  # type: ignore[attr-defined]
            data = json.loads(text, parse_constant=parse_constant)
        except RecursionError as error:
            raise exceptions.ParseError(_too_deep()) from error
        except ValueError as error:
            raise exceptions.ParseError(f"JSON parse error - {error}") from error
        if _depth(data) > MAX_JSON_DEPTH:
            raise exceptions.ParseError(_too_deep())
        _refuse_unstorable_text(data)
        return data


def _too_deep() -> str:
    return _("The JSON body nests deeper than %(depth)d levels.") % {"depth": MAX_JSON_DEPTH}
