"""The OpenAPI schema, built once per process, language and API version.

The schema is made from the code alone: SERVE_PUBLIC gives every signed-in
user the same document, whatever their role. Building it walks every
serializer, filter and view and takes seconds of CPU, so without a copy one
user reloading Swagger UI would hold a web worker that long each time. The
copy is dropped when a setting it is made from changes (tests override them).
"""

from typing import Any, ClassVar

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import translation
from drf_spectacular.views import SpectacularAPIView
from rest_framework.request import Request
from rest_framework.response import Response

# The settings the document is made from.
SOURCES = {"ROOT_URLCONF", "SPECTACULAR_SETTINGS", "REST_FRAMEWORK", "LANGUAGES", "INSTALLED_APPS"}


class SchemaView(SpectacularAPIView):
    """SpectacularAPIView with the built document kept per language and version."""

    built: ClassVar[dict[tuple[str | None, str | None], dict[str, Any]]] = {}

    def _get_schema_response(self, request: Request) -> Response:
        version = self.api_version or request.version or self._get_version_parameter(request)
        key = (translation.get_language(), version)
        if key not in self.built:
            generator = self.generator_class(
                urlconf=self.urlconf, api_version=version, patterns=self.patterns
            )
            self.built[key] = generator.get_schema(request=request, public=self.serve_public)
        filename = self._get_filename(request, version)
        return Response(
            data=self.built[key], headers={"Content-Disposition": f'inline; filename="{filename}"'}
        )


@receiver(setting_changed)
def forget_the_schema(*, setting: str, **kwargs: Any) -> None:
    if setting in SOURCES:
        SchemaView.built.clear()
