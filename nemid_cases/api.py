"""API wiring shared by every app: the exception handler and pagination."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions, serializers
from rest_framework.pagination import CursorPagination
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc, context):
    """Turn a service's Django ValidationError into a 400 naming the fields."""
    if isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(detail=serializers.as_serializer_error(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    return drf_exception_handler(exc, context)


class ReceivedCursorPagination(CursorPagination):
    """Stable paging through large lists, newest first."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = ("-received_at", "-id")
