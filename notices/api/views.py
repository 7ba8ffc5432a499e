"""The outage-notice API: incidents with their updates, standard texts, and
the drafts that wait for approval.

Everyone with a desk reads; publishing, updating and resolving need
notices.publish_incident, and they call the same services as the pages.
Where the role table asks for approval, a publication is answered with 202
and the draft (Location: the draft), and is public only once approved.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from enquiries.linking import chosen_enquiries
from nemid_cases.api import (
    ApiViewMixin,
    NewestFirstPagination,
    NumericIdMixin,
    VersionedApiMixin,
    error_responses,
)
from nemid_cases.conditional import ConditionalListMixin
from notices import services
from notices.api.serializers import (
    IncidentLinkSerializer,
    IncidentSerializer,
    IncidentUpdateSerializer,
    LinkCountSerializer,
    PostUpdateSerializer,
    PublicationDraftSerializer,
    PublishIncidentSerializer,
    RejectDraftSerializer,
    ResolveIncidentSerializer,
    StandardTextSerializer,
    WebhookDeliverySerializer,
    WebhookSubscriptionCreatedSerializer,
    WebhookSubscriptionSerializer,
)
from notices.models import Incident, PublicationDraft, StandardText, WebhookSubscription
from notices.service_map import suggested_enquiries

ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
PUBLISH = ["notices.publish_incident"]
APPROVE = ["notices.approve_publicationdraft"]
DRAFT = OpenApiResponse(
    PublicationDraftSerializer,
    description=_("The role's publication needs approval: kept as this draft, not public yet."),
)


def _draft_answer(draft: PublicationDraft) -> Response:
    location = reverse("api:publicationdraft-detail", args=[draft.pk])
    return Response(
        PublicationDraftSerializer(draft).data,
        status=status.HTTP_202_ACCEPTED,
        headers={"Location": location},
    )


class StartedCursorPagination(NewestFirstPagination):
    ordering = ("-started_at", "-id")


@extend_schema_view(
    list=extend_schema(
        summary=_("List incidents"),
        description=_("Newest first, in pages of `page_size` (default 50, at most 200)."),
        responses={200: IncidentSerializer(many=True), **error_responses(400, 401, 403, 404)},
    ),
    create=extend_schema(
        summary=_("Publish an incident"),
        description=_(
            "Publishes the incident with its first public update, worded by the version "
            "of the standard text `text_code` in force now."
        ),
        request=PublishIncidentSerializer,
        responses={201: IncidentSerializer, 202: DRAFT, **error_responses(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary=_("Get an incident"),
        parameters=[ID],
        responses={200: IncidentSerializer, **error_responses(401, 403, 404)},
    ),
)
class IncidentViewSet(
    ApiViewMixin,
    NumericIdMixin,
    ConditionalListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = IncidentSerializer
    pagination_class = StartedCursorPagination
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {
        "create": PUBLISH,
        "updates": ["notices.view_incidentupdate"],
        "add_update": PUBLISH,
        "resolve": PUBLISH,
        "link": ["notices.add_incidentlink"],
        "unlink": ["notices.delete_incidentlink"],
    }

    def get_queryset(self) -> QuerySet:
        return Incident.objects.visible_to(self.request.user)

    def create(self, request: Request, *args, **kwargs) -> Response:
        given = PublishIncidentSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        submission = services.submit_incident(**given.validated_data, by=request.user)
        if submission.draft is not None:
            return _draft_answer(submission.draft)
        return Response(
            IncidentSerializer(submission.published).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary=_("List an incident's public updates"),
        parameters=[ID],
        responses={200: IncidentUpdateSerializer(many=True), **error_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def updates(self, request: Request, pk: str) -> Response:
        incident = self.get_object()
        updates = incident.updates.select_related("standard_text")
        return Response(IncidentUpdateSerializer(updates, many=True).data)

    @extend_schema(
        summary=_("Post a public update"),
        parameters=[ID],
        request=PostUpdateSerializer,
        responses={
            201: IncidentUpdateSerializer,
            202: DRAFT,
            **error_responses(400, 401, 403, 404),
        },
    )
    @updates.mapping.post
    def add_update(self, request: Request, pk: str) -> Response:
        incident = self.get_object()
        given = PostUpdateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        submission = services.submit_incident_update(
            incident, **given.validated_data, by=request.user
        )
        if submission.draft is not None:
            return _draft_answer(submission.draft)
        return Response(
            IncidentUpdateSerializer(submission.published).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary=_("Resolve an incident"),
        parameters=[ID],
        request=ResolveIncidentSerializer,
        responses={200: IncidentSerializer, 202: DRAFT, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: str) -> Response:
        incident = self.get_object()
        given = ResolveIncidentSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        submission = services.submit_incident_resolution(
            incident, **given.validated_data, by=request.user
        )
        if submission.draft is not None:
            return _draft_answer(submission.draft)
        incident.refresh_from_db()
        return Response(IncidentSerializer(incident).data)

    def _chosen(self, request: Request, incident: Incident) -> QuerySet:
        given = IncidentLinkSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        if given.validated_data.get("suggested"):
            return suggested_enquiries(incident, request.user)
        return chosen_enquiries(request, given.validated_data)

    @extend_schema(
        summary=_("Link enquiries to an incident"),
        description=_(
            "Link the enquiries of `enquiries` (ids), matching `filter`, or every "
            "suggested one (`suggested: true`), those you may see; enquiries already "
            "linked are skipped, so a repeat links nothing more. Returns how many were "
            "linked."
        ),
        parameters=[ID],
        request=IncidentLinkSerializer,
        responses={200: LinkCountSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def link(self, request: Request, pk: str) -> Response:
        incident = self.get_object()
        chosen = self._chosen(request, incident)
        return Response({"count": services.link_enquiries(incident, chosen, by=request.user)})

    @extend_schema(
        summary=_("Unlink enquiries from an incident"),
        description=_("Returns how many links were removed; a repeat removes none."),
        parameters=[ID],
        request=IncidentLinkSerializer,
        responses={200: LinkCountSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def unlink(self, request: Request, pk: str) -> Response:
        incident = self.get_object()
        chosen = self._chosen(request, incident)
        return Response({"count": services.unlink_enquiries(incident, chosen, by=request.user)})


@extend_schema_view(
    list=extend_schema(
        summary=_("List standard texts"),
        description=_("Every version of every text; `?code=` for one text's versions."),
        parameters=[OpenApiParameter("code", str, description=_("A text's code."))],
        responses={200: StandardTextSerializer(many=True), **error_responses(401, 403)},
    ),
    create=extend_schema(
        summary=_("Add a standard text version"),
        description=_(
            "Adds the next version of the text `code`; earlier versions are never changed."
        ),
        responses={201: StandardTextSerializer, 202: DRAFT, **error_responses(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary=_("Get a standard text version"),
        parameters=[ID],
        responses={200: StandardTextSerializer, **error_responses(401, 403, 404)},
    ),
)
class StandardTextViewSet(
    ApiViewMixin,
    NumericIdMixin,
    ConditionalListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = StandardTextSerializer
    pagination_class = None
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet:
        texts = StandardText.objects.all()
        if not self.request.user.has_perm("notices.view_standardtext"):
            return texts.none()
        code = self.request.query_params.get("code")
        return texts.filter(code=code) if code else texts

    def create(self, request: Request, *args, **kwargs) -> Response:
        given = StandardTextSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        submission = services.submit_standard_text(**given.validated_data, by=request.user)
        if submission.draft is not None:
            return _draft_answer(submission.draft)
        return Response(
            StandardTextSerializer(submission.published).data, status=status.HTTP_201_CREATED
        )


@extend_schema_view(
    list=extend_schema(
        summary=_("List publication drafts"),
        description=_(
            "Drafts of incidents, public updates and standard text versions that wait "
            "for approval (`?status=pending`), or were decided; newest first."
        ),
        parameters=[
            OpenApiParameter(
                "status",
                str,
                enum=PublicationDraft.Status.values,
                description=_("Only drafts with this status."),
            )
        ],
        responses={
            200: PublicationDraftSerializer(many=True),
            **error_responses(400, 401, 403, 404),
        },
    ),
    retrieve=extend_schema(
        summary=_("Get a publication draft"),
        parameters=[ID],
        responses={200: PublicationDraftSerializer, **error_responses(401, 403, 404)},
    ),
)
class PublicationDraftViewSet(
    VersionedApiMixin,
    ApiViewMixin,
    NumericIdMixin,
    ConditionalListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Approvers approve or reject a draft as they read it (If-Match); the
    author never decides their own."""

    serializer_class = PublicationDraftSerializer
    pagination_class = NewestFirstPagination
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"approve": APPROVE, "reject": APPROVE}
    versioned_actions = ("approve", "reject")

    def get_queryset(self) -> QuerySet:
        drafts = (
            PublicationDraft.objects.visible_to(self.request.user)
            .for_list()
            .prefetch_related("events__actor")
            .select_related("standard_text")
        )
        wanted = self.request.query_params.get("status")
        if self.action == "list" and wanted is not None:
            statuses = PublicationDraft.Status.values
            if wanted not in statuses:
                message = _("Choose one of: %s.") % ", ".join(statuses)
                raise serializers.ValidationError({"status": [message]})
            drafts = drafts.filter(status=wanted)
        return drafts

    @extend_schema(
        summary=_("Approve and publish a draft"),
        description=_("Publishes it in its author's name; not by its author (four eyes)."),
        parameters=[ID],
        request=None,
        responses={200: PublicationDraftSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        draft = services.approve_draft(self.get_object(), by=request.user)
        return Response(PublicationDraftSerializer(self._fresh(draft)).data)

    @extend_schema(
        summary=_("Reject a draft"),
        description=_("Nothing is published; the author is sent the reason."),
        parameters=[ID],
        request=RejectDraftSerializer,
        responses={200: PublicationDraftSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        draft = self.get_object()
        given = RejectDraftSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        draft = services.reject_draft(draft, by=request.user, **given.validated_data)
        return Response(PublicationDraftSerializer(self._fresh(draft)).data)

    def _fresh(self, draft: PublicationDraft) -> PublicationDraft:
        return self.get_queryset().get(pk=draft.pk)


@extend_schema_view(
    list=extend_schema(
        summary=_("List webhook subscriptions"),
        responses={200: WebhookSubscriptionSerializer(many=True), **error_responses(401, 403)},
    ),
    create=extend_schema(
        summary=_("Add a webhook subscription"),
        description=_(
            "The answer carries the signing secret, shown this once. The URL must be "
            "http(s) and may not point at this server or a private network."
        ),
        request=WebhookSubscriptionSerializer,
        responses={201: WebhookSubscriptionCreatedSerializer, **error_responses(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary=_("Get a webhook subscription"),
        parameters=[ID],
        responses={200: WebhookSubscriptionSerializer, **error_responses(401, 403, 404)},
    ),
    partial_update=extend_schema(
        summary=_("Change or pause a webhook subscription"),
        parameters=[ID],
        responses={200: WebhookSubscriptionSerializer, **error_responses(400, 401, 403, 404)},
    ),
    destroy=extend_schema(
        summary=_("Delete a webhook subscription"),
        parameters=[ID],
        responses={204: None, **error_responses(401, 403, 404)},
    ),
)
class WebhookSubscriptionViewSet(
    VersionedApiMixin,
    ApiViewMixin,
    NumericIdMixin,
    ConditionalListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Subscribers told of incidents: kept by the secretariat."""

    serializer_class = WebhookSubscriptionSerializer
    pagination_class = None
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    action_permissions = {"deliveries": ["notices.view_webhookdelivery"]}

    def get_queryset(self) -> QuerySet:
        if not self.request.user.has_perm("notices.view_webhooksubscription"):
            return WebhookSubscription.objects.none()
        return WebhookSubscription.objects.all()

    def create(self, request: Request, *args, **kwargs) -> Response:
        given = WebhookSubscriptionSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        subscription = given.save()
        return Response(
            WebhookSubscriptionCreatedSerializer(subscription).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary=_("List a subscription's deliveries"),
        description=_("The delivery log, newest first (at most 200)."),
        parameters=[ID],
        responses={200: WebhookDeliverySerializer(many=True), **error_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def deliveries(self, request: Request, pk: str) -> Response:
        subscription = self.get_object()
        return Response(
            WebhookDeliverySerializer(subscription.deliveries.all()[:200], many=True).data
        )
