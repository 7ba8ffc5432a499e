"""API wiring shared by every app: errors, permissions, filters, schema.

Every app's API views derive from `ApiViewMixin` so they read JSON only,
check the role table's model permissions and document the same error
bodies. Querysets still start from `visible_to(request.user)` in each view.
The strict filters here (`YesNoFilter`, `IdFilter`) are used by every
FilterSet, so a page and the API refuse the same unreadable values.
"""

import copy
import hashlib
import logging
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import django_filters
from django import forms
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.drainage import add_trace_message
from drf_spectacular.extensions import (
    OpenApiSerializerExtension,
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.plumbing import get_manager, get_view_model
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, pagination, permissions, serializers, status
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import BaseParser
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from enquiries import cpr_guard

if TYPE_CHECKING:
    from rest_framework.permissions import _PermissionClass
from nemid_cases import idempotency
from nemid_cases.moments import DayField, DayFormField, MomentField
from nemid_cases.parsers import SafeJSONParser, reject_unstorable_text
from nemid_cases.versioning import (
    StaleVersion,
    Versioned,
    claim,
    claims,
    etag,
    versions_in_if_match,
)

__all__ = ["reject_unstorable_text"]

logger = logging.getLogger(__name__)

# Django's get_object_or_404 message: English, and naming a model.
_DJANGO_NOT_FOUND = re.compile(r"^No \w+ matches the given query\.$")


def _as_drf_exception(exc: Exception) -> Exception:
    """The DRF exception that answers a Django or service exception."""
    if isinstance(exc, Http404) and (not exc.args or _DJANGO_NOT_FOUND.match(str(exc.args[0]))):
        return exceptions.NotFound()
    if isinstance(exc, DjangoValidationError):
        return serializers.ValidationError(detail=serializers.as_serializer_error(exc))
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, RequestDataTooBig):
        # Over DATA_UPLOAD_MAX_MEMORY_SIZE: DRF reads request.body, which
        # refuses it; Django alone would answer a bare 400.
        return RequestTooLarge()
    if isinstance(exc, IntegrityError):
        # A backstop: serializers and services check unique values and
        # name the field; one that slips through (a race between two
        # requests) is a conflict, not a server error. DRF's handler marks
        # the request's transaction for rollback.
        logger.warning("IntegrityError answered with 409: %s", exc)
        return Conflict()
    if isinstance(exc, StaleVersion):
        return PreconditionFailed(exc.current)
    return exc


def exception_handler(exc, context):
    """Turn a service's Django ValidationError into a 400 naming the fields.

    A 404 from get_object_or_404 says DRF's translated "Not found." rather
    than Django's untranslated "No Enquiry matches the given query.".
    """
    exc = _as_drf_exception(exc)
    response = drf_exception_handler(exc, context)
    if isinstance(exc, serializers.ValidationError) and isinstance(response.data, dict):
        response.data = _flat_field_errors(response.data)
    if isinstance(exc, PreconditionRequired | PreconditionFailed):
        # A problem body: the status, why, and what the row is now.
        response.data = {"status": exc.status_code, "detail": exc.detail}
        if isinstance(exc, PreconditionFailed):
            current = etag(exc.current) if exc.current is not None else None
            response.data["current_etag"] = current
            if current:
                response["ETag"] = current
    return response


def _flat_field_errors(errors: dict, prefix: str = "") -> dict:
    """A nested object's field errors as "object.field" keys, as documented.

    FieldErrors maps each field to a list of messages; a nested serializer
    (an action's new_follow_up) would otherwise answer an object there.
    """
    flat: dict = {}
    for name, value in errors.items():
        key = f"{prefix}{name}"
        if isinstance(value, dict):
            flat.update(_flat_field_errors(value, prefix=f"{key}."))
        else:
            flat[key] = value
    return flat


class PreconditionRequired(exceptions.APIException):
    """428: a change without If-Match could silently undo someone else's."""

    status_code = 428
    default_code = "precondition_required"
    default_detail = _(
        "Send If-Match with the ETag of the row as you read it (GET it first); "
        "a change without it could overwrite someone else's."
    )


class PreconditionFailed(exceptions.APIException):
    """412: the row changed since the client read it; nothing was written."""

    status_code = 412
    default_code = "precondition_failed"
    default_detail = _(
        "The row has changed since you read it, so nothing was saved. "
        "GET it again, apply your change to it and send its new ETag."
    )

    def __init__(self, current: int | None):
        super().__init__()
        self.current = current


class IdempotencyKeyReused(exceptions.APIException):
    status_code = 422
    default_code = "idempotency_key_reused"
    default_detail = _("This Idempotency-Key was already used for a different request.")


class _Replay(Exception):
    """Answer with the response stored for a repeated Idempotency-Key."""

    def __init__(self, response: Response):
        self.response = response


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _(
        "This conflicts with data saved meanwhile; a value that must be unique is in use."
    )
    default_code = "conflict"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


class NewestFirstPagination(CursorPagination):
    """Stable paging through large lists, newest first; a subclass names
    the moment it sorts by in `ordering`."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-created_at", "-id")


class ReceivedCursorPagination(NewestFirstPagination):
    ordering = ("-received_at", "-id")


class NumericIdMixin:
    """A detail route whose id is not a storable whole number is a 404.

    Every key reaches the view (not a routing miss), and one that is no
    positive integer of at most 18 digits never reaches the database
    (PostgreSQL would refuse it with an error, not "not found").
    """

    lookup_value_regex = "[^/]+"

    def get_object(self):
        key = self.kwargs[self.lookup_field]
        if not (key.isascii() and key.isdigit() and len(key) <= 18):
            raise Http404
        return super().get_object()


class RolePermissions(permissions.DjangoModelPermissions):
    """The model permissions of the role table (accounts.roles), per request.

    Reading (and OPTIONS) needs `view_<model>`, where DRF's default lets any
    user read; writing needs add/change/delete. A view names the permissions
    of its extra actions in `action_permissions`, e.g. {"transition":
    ["enquiries.change_enquiry"]}. Row-level scope is the view's visible_to().
    """

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "OPTIONS": ["%(app_label)s.view_%(model_name)s"],
    }

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        wanted = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if wanted is None:
            return super().has_permission(request, view)
        return request.user.has_perms(wanted)


def _fingerprint(request) -> str:
    """Method, path and body of a request, as one digest."""
    digest = hashlib.sha256(f"{request.method} {request.get_full_path()}\n".encode())
    if request.content_type.startswith("multipart/"):
        # An upload is not read into memory twice: its length stands in.
        digest.update(request.META.get("CONTENT_LENGTH", "").encode())
    else:
        digest.update(request.body)
    return digest.hexdigest()


class ApiViewMixin:
    """What every API view shares: JSON bodies, role permissions, throttles.

    A POST with an `Idempotency-Key` header is done once per user and key:
    a repeat within idempotency.TTL gets the first answer (marked
    `Idempotent-Replayed: true`) instead of a second row. The work and the
    stored answer commit together, so of two racing repeats one does the
    work and the other is rolled back and replays it.
    """

    parser_classes: Sequence[type[BaseParser]] = [SafeJSONParser]
    permission_classes: "Sequence[_PermissionClass]" = [RolePermissions]
    _idempotency: tuple[str, str] | None = None

    def dispatch(self, request, *args, **kwargs):
        if request.method != "POST" or "Idempotency-Key" not in request.headers:
            return super().dispatch(request, *args, **kwargs)
        lost_race = False
        with transaction.atomic():
            response = super().dispatch(request, *args, **kwargs)
            if self._idempotency is not None and 200 <= response.status_code < 300:
                try:
                    with transaction.atomic():
                        self._store_answer(response)
                except IntegrityError:
                    lost_race = True
                except DjangoValidationError:
                    # An answer with a CPR number in clear (a reveal, an
                    # access export) is never stored: a repeat does it again.
                    pass
            if lost_race or response.status_code >= 400:
                transaction.set_rollback(True)
        if lost_race:
            # A racing repeat committed first: answer as it did.
            try:
                replay = self._stored_answer(self.request)
            except exceptions.APIException as error:
                replay = self.handle_exception(error)
            if replay is None:
                replay = Response(
                    {"detail": _("A request with this Idempotency-Key is in progress.")},
                    status=409,
                )
            return self.finalize_response(self.request, replay, *args, **kwargs)
        return response

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        # The key first: its fingerprint reads the raw body, which parsing
        # the data below would consume.
        self._check_idempotency_key(request)
        if request.method in ("POST", "PUT", "PATCH"):
            # A CPR number only under a `cpr` key (encrypted); anywhere else
            # in a body it is refused before any serializer or service runs.
            errors = cpr_guard.request_errors(request.data)
            if errors:
                raise serializers.ValidationError(errors)

    def _check_idempotency_key(self, request) -> None:
        """Replay the stored answer of a repeated Idempotency-Key, if any."""
        key = request.headers.get("Idempotency-Key") if request.method == "POST" else None
        if key is None:
            return
        if not idempotency.KEY.match(key):
            raise serializers.ValidationError(
                {"Idempotency-Key": [_("Use 1 to 255 visible ASCII characters.")]}
            )
        # Stored as a digest: a key is the client's text, kept 24 hours.
        self._idempotency = (idempotency.digest(key), _fingerprint(request))
        stored = self._stored_answer(request)
        if stored is not None:
            raise _Replay(stored)

    def handle_exception(self, exc):
        if isinstance(exc, _Replay):
            # Answered before: nothing new to store.
            self._idempotency = None
            return exc.response
        return super().handle_exception(exc)

    def _stored_answer(self, request) -> Response | None:
        key, fingerprint = self._idempotency
        found = idempotency.stored(request.user, key)
        if found is None:
            return None
        if found.fingerprint != fingerprint:
            raise IdempotencyKeyReused()
        headers = {"Idempotent-Replayed": "true"}
        if found.location:
            headers["Location"] = found.location
        return Response(found.body, status=found.status_code, headers=headers)

    def _store_answer(self, response) -> None:
        key, fingerprint = self._idempotency
        idempotency.remember(
            self.request.user,
            key,
            fingerprint=fingerprint,
            status_code=response.status_code,
            body=getattr(response, "data", None),
            location=response.get("Location", ""),
        )

    def check_permissions(self, request):
        # DRF checks throttles after permissions, so a caller refused a 401
        # or 403 was never counted; count every caller first (once).
        self.check_throttles(request)
        self._throttles_checked = True
        super().check_permissions(request)

    def check_throttles(self, request):
        if not getattr(self, "_throttles_checked", False):
            super().check_throttles(request)


def _is_whole_number(data) -> bool:
    """A JSON number without a fraction: 3 or 3.0, not "3", 1.9 or true."""
    if isinstance(data, bool):
        return False
    return isinstance(data, int) or (isinstance(data, float) and data.is_integer())


class IdField(serializers.PrimaryKeyRelatedField):
    """A related row by id, as the schema says: a whole number.

    DRF's field passes the value to the query, which made 1.9 the row 1 and
    took "1" and true as well (issue 8, the API's contract).
    """

    def to_internal_value(self, data):
        if not _is_whole_number(data):
            self.fail("incorrect_type", data_type=type(data).__name__)
        return super().to_internal_value(int(data))


class WholeNumberField(serializers.IntegerField):
    """An integer as the schema says: a JSON number, not text or a fraction."""

    def to_internal_value(self, data):
        if not _is_whole_number(data):
            self.fail("invalid")
        return super().to_internal_value(int(data))


class ChoiceField(serializers.ChoiceField):
    """A choice; when the choices are numbers, only a number chooses one.

    The schema lists an integer enum (priority 1-4); DRF also took "2".
    """

    def to_internal_value(self, data):
        numeric = self.choices and all(
            isinstance(key, int) and not isinstance(key, bool) for key in self.choices
        )
        if numeric and not _is_whole_number(data):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(int(data) if numeric else data)


class SafeSlugRelatedField(serializers.SlugRelatedField):
    """A SlugRelatedField for strings only, refusing text no query can carry."""

    default_error_messages = {
        **serializers.SlugRelatedField.default_error_messages,
        "too_long": _("Ensure this field has no more than {max_length} characters."),
    }

    def __init__(self, *args, max_length: int = 150, **kwargs):
        self.max_length = max_length
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        reject_unstorable_text(data)
        if len(data) > self.max_length:
            self.fail("too_long", max_length=self.max_length)
        return super().to_internal_value(data)


_ANY_YES_NO = [("", _("Any")), ("true", _("Yes")), ("false", _("No"))]
_YES_NO = {"true": True, "false": False, "1": True, "0": False}


class YesNoField(forms.NullBooleanField):
    """true/false (or 1/0), or nothing; other text is an error, not "any"."""

    widget = forms.Select(choices=_ANY_YES_NO)
    default_error_messages = {"invalid": _("Enter true or false.")}

    def to_python(self, value) -> bool | None:
        if isinstance(value, bool):
            return value
        if value in self.empty_values:
            return None
        parsed = _YES_NO.get(str(value).strip().lower())
        if parsed is None:
            raise DjangoValidationError(self.error_messages["invalid"], code="invalid")
        return parsed


class YesNoFilter(django_filters.BooleanFilter):
    """A boolean filter that refuses what it cannot read (a 400 in the API).

    django-filter's BooleanFilter reads "banana" as "no filter", so a typo
    silently returns everything; use this one for every yes/no parameter.
    A `method` gets only true or false (never None): type its value `bool`,
    so the API schema documents a boolean.
    """

    field_class = YesNoField


class IdFilter(django_filters.NumberFilter):
    """A row id: a whole number in the database's range, else a field error."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class DayFilter(django_filters.DateFilter):
    """A date parameter within `check_day`'s window, else a field error.

    django-filter's DateFilter takes 9999-12-31, and a filter that turns
    the day into a range (the next day's start) then overflowed: a 500,
    found by tests/api/test_schemathesis_known_bad.py. Use it for every
    date parameter.
    """

    field_class = DayFormField


def _strict_mapping() -> dict:
    """ModelSerializer's field mapping, with this module's stricter fields."""
    replaced = {
        serializers.IntegerField: WholeNumberField,
        serializers.DateField: DayField,
        serializers.DateTimeField: MomentField,
    }
    return {
        model_field: replaced.get(field, field)
        for model_field, field in serializers.ModelSerializer.serializer_field_mapping.items()
    }


class StrictTextMixin:
    """Text fields take JSON strings only, as the schema says.

    DRF's CharField also took 5 as "5" and 1.5 as "1.5" (issue 8: "numbers
    taken as strings"). Checked once here for every text field of a body.
    """

    def to_internal_value(self, data):
        if not isinstance(data, Mapping):
            return super().to_internal_value(data)
        errors = {
            field.field_name: [field.error_messages["invalid"]]
            for field in self._writable_fields
            if isinstance(field, serializers.CharField)
            and field.field_name in data
            and data[field.field_name] is not None
            and not isinstance(data[field.field_name], str)
        }
        try:
            value = super().to_internal_value(data)
        except serializers.ValidationError as error:
            # The other fields' errors too, as one answer.
            if errors and isinstance(error.detail, dict):
                raise serializers.ValidationError({**error.detail, **errors}) from error
            raise
        if errors:
            raise serializers.ValidationError(errors)
        return value


class Serializer(StrictTextMixin, serializers.Serializer):
    """The base of every API serializer that is not a ModelSerializer."""


# The base of every API ModelSerializer: fields read as the schema says.
# Ids, integers and integer choices must be JSON numbers without a fraction;
# dates and date-times pass nemid_cases.moments' range checks.
# tests/api/test_contract.py walks every API serializer for these. (A
# comment, not a docstring: the schema would show it for every serializer.)
class ModelSerializer(StrictTextMixin, serializers.ModelSerializer):
    serializer_field_mapping = _strict_mapping()
    serializer_related_field = IdField
    serializer_choice_field = ChoiceField


class ErrorSerializer(serializers.Serializer):
    """An error without a field: not logged in, not allowed, not found."""

    detail = serializers.CharField(help_text=_("A translated message."))


class FieldErrorsSerializer(serializers.Serializer):
    """A 400: each key names a field, each value lists translated messages.

    `non_field_errors` holds messages about the request as a whole; a body
    that is not valid JSON gives `detail` instead.
    """


class FieldErrorsExtension(OpenApiSerializerExtension):
    """Documents FieldErrorsSerializer as a map of field name to messages."""

    target_class = FieldErrorsSerializer

    def map_serializer(self, auto_schema, direction):
        messages = {"type": "array", "items": {"type": "string"}}
        # A nested object's fields nest their messages the same way
        # ({"new_follow_up": {"owner": [...]}}).
        nested = {"type": "object", "additionalProperties": True}
        return {
            "type": "object",
            "description": str(FieldErrorsSerializer.__doc__.splitlines()[0]),
            "properties": {
                "detail": {"type": "string", "description": "The body is not valid JSON."},
                "non_field_errors": messages,
            },
            "additionalProperties": {"anyOf": [messages, nested]},
            "example": {"category": ["The category “Sikkerhed” belongs to another queue."]},
        }


class IdFieldExtension(OpenApiSerializerFieldExtension):
    """An id in a body is documented as the filters document one: from 1."""

    target_class = IdField

    def map_serializer_field(self, auto_schema, direction):
        return {"type": "integer", "minimum": 1}


class IsolatedDjangoFilterExtension(DjangoFilterExtension):
    """drf-spectacular's django-filter introspection, on a private copy.

    A FilterSet's class-level filters are shared: every instance (every
    request) deep-copies them. drf-spectacular reads `filter.field` and
    `filter.label` on those shared filters, and both are memoised there, so
    the first schema request froze a form field with the default widget (and
    labels in that request's language) into every later FilterSet: the
    enquiry list's Status and Priority checkboxes became a bare multiple
    select until restart (issue 9, fault 1; django-filter issue #1525).
    Introspecting a deep copy, as FilterSet.__init__ does, leaves them as
    declared.
    """

    priority = 1

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        # As DjangoFilterExtension's, but over a copy of the base filters.
        model = get_view_model(auto_schema.view)
        if not model:
            return []
        filterset_class = self.target.get_filterset_class(
            auto_schema.view, get_manager(model).none()
        )
        if not filterset_class:
            return []
        parameters = []
        with add_trace_message(filterset_class):
            for name, filter_ in copy.deepcopy(filterset_class.base_filters).items():
                resolved = self.resolve_filter_field(
                    auto_schema, model, filterset_class, name, filter_
                )
                for parameter in resolved:
                    schema = parameter["schema"]
                    if _is_row_id(filter_) and schema.get("type") in ("integer", "number"):
                        parameter["schema"] = {**schema, **ROW_ID_SCHEMA}
                    if schema.get("type") != "array":
                        # An empty value is "no filter", as when a page's
                        # filter form sends its empty fields (recorded_to=).
                        parameter["allowEmptyValue"] = True
                parameters += resolved
        return parameters


# A row id as the API reads one: a whole number the database can hold.
ROW_ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


def _is_row_id(filter_) -> bool:
    """An id filter: IdFilter, or a choice of rows by primary key.

    The schema says so (minimum 1), so id=0 is documented as invalid rather
    than answered with a 400 the schema did not foresee.
    """
    if isinstance(filter_, IdFilter):
        return True
    return isinstance(
        filter_, django_filters.ModelChoiceFilter | django_filters.ModelMultipleChoiceFilter
    ) and filter_.extra.get("to_field_name") in (None, "pk", "id")


def document_common_errors(result, generator, request, public):
    """A drf-spectacular postprocessing hook: answers any operation can give.

    - 400: any request may carry a query parameter with a NUL character,
      which RejectNulBytesMiddleware refuses naming it;
    - 404: a list with page numbers answers a page past its last (or an
      unreadable one) with DRF's "Invalid page.";
    - 413: a body over DATA_UPLOAD_MAX_MEMORY_SIZE.
    """
    components = result.get("components", {}).get("schemas", {})

    def answer(description, component):
        return {
            "description": str(description),
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{component}"}}
            },
        }

    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if "FieldErrors" in components:
                responses.setdefault(
                    "400",
                    answer(
                        _("Invalid input; the body names each field with its messages."),
                        "FieldErrors",
                    ),
                )
            names = {parameter.get("name") for parameter in operation.get("parameters", [])}
            if "page" in names:
                responses.setdefault("404", answer(_("Not found, or not visible to you."), "Error"))
            if "requestBody" in operation:
                responses.setdefault("413", answer(_("The request body is too large."), "Error"))
    return result


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page numbers, documented as they are read: from 1."""

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
        return parameters


def error_responses(*codes: int) -> dict[int, OpenApiResponse]:
    """The documented error responses of an endpoint, for extend_schema."""
    described = {
        400: OpenApiResponse(
            FieldErrorsSerializer,
            description=_("Invalid input; the body names each field with its messages."),
        ),
        401: OpenApiResponse(ErrorSerializer, description=_("Not logged in (no or bad token).")),
        403: OpenApiResponse(ErrorSerializer, description=_("The role may not do this.")),
        404: OpenApiResponse(ErrorSerializer, description=_("Not found, or not visible to you.")),
    }
    return {code: described[code] for code in codes}


EDIT_METHODS = ("PUT", "PATCH")
EDIT_ACTIONS = ("update", "partial_update")


class VersionedApiMixin:
    """A row's ETag on GET; PATCH and PUT only with If-Match naming it.

    No If-Match is a 428, a tag that is not the row's current one a 412 with
    the current ETag; both write nothing. The check and the write are one
    edit (nemid_cases.versioning.editing), so of two PATCHes from the same
    ETag exactly one is applied. Put it first among a viewset's bases.
    """

    _versioned_object: Versioned | None = None
    # POST actions on one row that change it as its reader saw it (a
    # decision on a draft): they too need If-Match, as PATCH does.
    versioned_actions: tuple[str, ...] = ()

    def _edits_row(self, request) -> bool:
        if request.method in EDIT_METHODS:
            return self.action in EDIT_ACTIONS
        return request.method == "POST" and self.action in self.versioned_actions

    def dispatch(self, request, *args, **kwargs):
        if request.method not in EDIT_METHODS and not (
            request.method == "POST" and self.versioned_actions
        ):
            return super().dispatch(request, *args, **kwargs)
        with claims():
            response = super().dispatch(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)
        return response

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        if self._versioned_object is not None or not isinstance(obj, Versioned):
            return
        self._versioned_object = obj
        if self._edits_row(request):
            header = request.headers.get("If-Match")
            if header is None:
                raise PreconditionRequired()
            if obj.version not in versions_in_if_match(header):
                raise PreconditionFailed(obj.version)
            claim(obj, obj.version)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        obj = self._versioned_object
        shows_row = self.action == "retrieve" or self._edits_row(request)
        if obj is not None and shows_row and 200 <= response.status_code < 300:
            response["ETag"] = etag(obj.version)
        return response


class ProblemSerializer(serializers.Serializer):
    """A refused precondition: why, and the row's current ETag if any."""

    status = serializers.IntegerField()
    detail = serializers.CharField(help_text=_("A translated message."))
    current_etag = serializers.CharField(
        required=False, allow_null=True, help_text=_("The row's ETag now (412 only).")
    )
