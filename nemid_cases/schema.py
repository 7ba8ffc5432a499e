"""The OpenAPI schema of every operation, with the lost-update headers.

Apart from nemid_cases.api because drf-spectacular's AutoSchema imports
DRF's generic views, which import the pagination class from nemid_cases.api.
"""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

from nemid_cases.api import (
    EDIT_ACTIONS,
    EDIT_METHODS,
    ApiViewMixin,
    ErrorSerializer,
    ProblemSerializer,
    VersionedApiMixin,
    error_responses,
)

IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description=_(
        "The ETag of the row as you read it (from its GET or your last change). "
        "Without it: 428; if the row has changed since: 412, nothing is saved."
    ),
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    description=_(
        "Optional: a unique key per intended request (e.g. a UUID). Repeating it "
        "within 24 hours returns the first answer instead of doing it again."
    ),
)
ETAG = OpenApiParameter(
    "ETag",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    response=[200],
    description=_("The row's version, to send back as If-Match when you change it."),
)


class ApiSchema(AutoSchema):
    """The schema of every operation, with the headers of lost-update checks."""

    def _edits_row(self) -> bool:
        if not isinstance(self.view, VersionedApiMixin):
            return False
        action = getattr(self.view, "action", None)
        if self.method == "POST":
            return action in self.view.versioned_actions
        return self.method in EDIT_METHODS and action in EDIT_ACTIONS

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        reads_row = self.method == "GET" and getattr(self.view, "action", None) == "retrieve"
        if self._edits_row():
            parameters += [IF_MATCH, ETAG]
        elif reads_row and isinstance(self.view, VersionedApiMixin):
            parameters.append(ETAG)
        if self.method == "POST" and isinstance(self.view, ApiViewMixin):
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if self._edits_row():
            responses["412"] = self._get_response_for_code(
                OpenApiResponse(
                    ProblemSerializer,
                    description=_("If-Match is not the row's current ETag; nothing was saved."),
                ),
                "412",
                direction=direction,
            )
            responses["428"] = self._get_response_for_code(
                OpenApiResponse(ProblemSerializer, description=_("If-Match is missing.")),
                "428",
                direction=direction,
            )
        if self.method == "POST" and isinstance(self.view, ApiViewMixin):
            if "400" not in responses:
                # An unusable Idempotency-Key is refused on any POST.
                responses["400"] = self._get_response_for_code(
                    error_responses(400)[400], "400", direction=direction
                )
            responses["422"] = self._get_response_for_code(
                OpenApiResponse(
                    ErrorSerializer,
                    description=_("The Idempotency-Key was used before for another request."),
                ),
                "422",
                direction=direction,
            )
        return responses
