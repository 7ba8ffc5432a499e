"""The enquiry API: enquiries, the taxonomy and citizens.

Every queryset starts from the user's visible rows, so an enquiry outside
the user's queues is a 404. Writes go through enquiries.services, the same
functions the HTML views call.
"""

import re

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response

from enquiries import services
from enquiries.api.filters import (
    CategoryFilterSet,
    CitizenFilterSet,
    EnquiryApiFilterSet,
    PersonFilterSet,
    TopicFilterSet,
)
from enquiries.api.serializers import (
    CategorySerializer,
    CitizenSerializer,
    CprSerializer,
    EnquiryCreateSerializer,
    EnquiryEventSerializer,
    EnquirySerializer,
    EnquiryWriteSerializer,
    NoteSerializer,
    PersonSerializer,
    QueueSerializer,
    ReopenSerializer,
    RevealedCprSerializer,
    RevealReasonSerializer,
    TopicSerializer,
    TransitionSerializer,
)
from enquiries.models import Category, Citizen, Enquiry, Queue, Topic
from enquiries.people import people_for
from nemid_cases.api import (
    ApiViewMixin,
    ReceivedCursorPagination,
    VersionedApiMixin,
    error_responses,
)
from nemid_cases.conditional import ConditionalListMixin

# Queue prefix (at most five characters), year, number: NID-2010-004711.
REFERENCE = re.compile(r"[A-Z0-9]{1,5}-[0-9]{1,4}-[0-9]{1,12}", re.ASCII | re.IGNORECASE)
ID_OR_REFERENCE = OpenApiParameter(
    "id_or_reference",
    str,
    OpenApiParameter.PATH,
    description=_("The enquiry's id, or its reference such as NID-2010-004711."),
    pattern=r"^([0-9]{1,18}|[A-Za-z0-9]{1,5}-[0-9]{1,4}-[0-9]{1,12})$",
)
# The routes accept any segment so that a bad id is the API's JSON 404, not
# the site's HTML one; the schema documents the real type.
ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
CHANGE_ENQUIRY = ["enquiries.change_enquiry"]


def _for_output(enquiries: QuerySet) -> QuerySet:
    """With every relation EnquirySerializer shows, in a fixed number of queries."""
    return enquiries.for_list().prefetch_related(
        Prefetch("additional_topics", queryset=Topic.objects.order_by("position", "pk"))
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("List enquiries"),
        description=_(
            "Newest first, in pages of `page_size` (default 50, at most 200); follow "
            "`next` for the following page. The filters are those of the enquiry list "
            "page and combine with AND."
        ),
        responses={200: EnquirySerializer(many=True), **error_responses(400, 401, 403, 404)},
    ),
    create=extend_schema(
        summary=_("Log an enquiry"),
        description=_(
            "Registers an enquiry with its reference and the first timeline line. The "
            "queue is named by code, the assignee by username, the rest by id."
        ),
        request=EnquiryCreateSerializer,
        responses={201: EnquirySerializer, **error_responses(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary=_("Get an enquiry by id or reference"),
        parameters=[ID_OR_REFERENCE],
        responses={200: EnquirySerializer, **error_responses(401, 403, 404)},
    ),
    partial_update=extend_schema(
        summary=_("Change an enquiry"),
        description=_(
            "Only the fields sent change; each tracked change is written to the "
            "timeline. Status and resolution change through …/transition/."
        ),
        parameters=[ID_OR_REFERENCE],
        request=EnquiryWriteSerializer,
        responses={200: EnquirySerializer, **error_responses(400, 401, 403, 404)},
    ),
)
class EnquiryViewSet(
    VersionedApiMixin,
    ApiViewMixin,
    ConditionalListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Citizen enquiries in the queues the user works or oversees."""

    serializer_class = EnquirySerializer
    filterset_class = EnquiryApiFilterSet
    pagination_class = ReceivedCursorPagination
    lookup_url_kwarg = "id_or_reference"
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {
        "transition": CHANGE_ENQUIRY,
        "reopen": CHANGE_ENQUIRY,
        "notes": CHANGE_ENQUIRY,
    }

    def get_queryset(self) -> QuerySet:
        enquiries = Enquiry.objects.visible_to(self.request.user)
        if self.action == "list":
            # The page is found without joins; paginate_queryset reads its rows.
            return enquiries.only("pk", "received_at")
        return _for_output(enquiries)

    def paginate_queryset(self, queryset: QuerySet) -> list[Enquiry] | None:
        """The page's rows read by id with their relations (Enquiry page_rows)."""
        page = super().paginate_queryset(queryset)
        if page is None:
            return None
        return _for_output(Enquiry.objects.all()).page_rows([enquiry.pk for enquiry in page])

    def get_serializer_class(self):
        if self.action == "create":
            return EnquiryCreateSerializer
        if self.action == "partial_update":
            return EnquiryWriteSerializer
        return EnquirySerializer

    def get_object(self) -> Enquiry:
        """By id (digits) or by reference; anything else is not found."""
        key = self.kwargs[self.lookup_url_kwarg]
        if key.isascii() and key.isdigit() and len(key) <= 18:
            lookup = {"pk": int(key)}
        elif REFERENCE.fullmatch(key):
            lookup = {"reference": key.upper()}
        else:
            raise Http404
        enquiry = get_object_or_404(self.get_queryset(), **lookup)
        self.check_object_permissions(self.request, enquiry)
        return enquiry

    def _read(self, enquiry: Enquiry, code: int = status.HTTP_200_OK) -> Response:
        """The enquiry as it now is, re-read with what the output shows.

        Not scoped again: a user who just handed an enquiry to another team
        may no longer see it, but is still owed the result of the change.
        """
        fresh = _for_output(Enquiry.objects.filter(pk=enquiry.pk)).get()
        return Response(
            EnquirySerializer(fresh, context=self.get_serializer_context()).data, status=code
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = EnquiryCreateSerializer(
            data=request.data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        queue = data.pop("queue")
        # The log page's service: "resolved during the call" the same way.
        enquiry = services.log_enquiry(queue, by=request.user, **data)
        response = self._read(enquiry, status.HTTP_201_CREATED)
        response["Location"] = reverse("api:enquiry-detail", args=[enquiry.reference])
        return response

    def update(self, request: Request, *args, **kwargs) -> Response:
        enquiry = self.get_object()
        serializer = EnquiryWriteSerializer(
            data=request.data, partial=True, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        services.update_enquiry(enquiry, by=request.user, changes=dict(serializer.validated_data))
        return self._read(enquiry)

    @extend_schema(
        summary=_("Change the status"),
        description=_(
            "Moves the enquiry along the workflow (new → triaged → in progress → "
            "waiting for citizen → resolved → closed). An illegal step is refused "
            "with a 400 on `status` naming the allowed ones; resolving needs a "
            "resolution."
        ),
        parameters=[ID_OR_REFERENCE],
        request=TransitionSerializer,
        responses={200: EnquirySerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def transition(self, request: Request, *args, **kwargs) -> Response:
        enquiry = self.get_object()
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.transition_enquiry(
            enquiry,
            to=data["status"],
            by=request.user,
            note=data.get("note", ""),
            resolution=data.get("resolution"),
        )
        return self._read(enquiry)

    @extend_schema(
        summary=_("Reopen a resolved or closed enquiry"),
        description=_("Back to “in progress”, with an optional note on the timeline."),
        parameters=[ID_OR_REFERENCE],
        request=ReopenSerializer,
        responses={200: EnquirySerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, *args, **kwargs) -> Response:
        enquiry = self.get_object()
        serializer = ReopenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.reopen_enquiry(
            enquiry, by=request.user, note=serializer.validated_data.get("note", "")
        )
        return self._read(enquiry)

    @extend_schema(
        summary=_("Add a note to the timeline"),
        parameters=[ID_OR_REFERENCE],
        request=NoteSerializer,
        responses={201: EnquiryEventSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def notes(self, request: Request, *args, **kwargs) -> Response:
        enquiry = self.get_object()
        serializer = NoteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        event = services.add_note(enquiry, by=request.user, text=serializer.validated_data["text"])
        return Response(
            EnquiryEventSerializer(event, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(
        summary=_("The timeline"),
        description=_("Every change and note, oldest first, with who and when."),
        parameters=[ID_OR_REFERENCE],
        responses={200: EnquiryEventSerializer(many=True), **error_responses(401, 403, 404)},
    )
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def events(self, request: Request, *args, **kwargs) -> Response:
        enquiry = self.get_object()
        events = enquiry.events.select_related("actor")
        return Response(
            EnquiryEventSerializer(events, many=True, context=self.get_serializer_context()).data
        )


@extend_schema_view(
    list=extend_schema(
        summary=_("List queues"),
        responses={200: QueueSerializer(many=True), **error_responses(401, 403)},
    ),
    retrieve=extend_schema(
        summary=_("Get a queue"),
        parameters=[ID],
        responses={200: QueueSerializer, **error_responses(401, 403, 404)},
    ),
)
class QueueViewSet(ApiViewMixin, ConditionalListMixin, viewsets.ReadOnlyModelViewSet):
    """The queues the user works (or, for oversight roles, all)."""

    serializer_class = QueueSerializer
    pagination_class = None
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet:
        return Queue.objects.visible_to(self.request.user)


@extend_schema_view(
    list=extend_schema(
        summary=_("List topics"),
        responses={200: TopicSerializer(many=True), **error_responses(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary=_("Get a topic"),
        parameters=[ID],
        responses={200: TopicSerializer, **error_responses(401, 403, 404)},
    ),
)
class TopicViewSet(ApiViewMixin, ConditionalListMixin, viewsets.ReadOnlyModelViewSet):
    """Topics of the user's queues; retired ones too (filter `is_active`)."""

    serializer_class = TopicSerializer
    filterset_class = TopicFilterSet
    pagination_class = None
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet:
        visible = Queue.objects.visible_to(self.request.user)
        return Topic.objects.filter(queue__in=visible).select_related("queue")


@extend_schema_view(
    list=extend_schema(
        summary=_("List categories"),
        responses={200: CategorySerializer(many=True), **error_responses(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary=_("Get a category"),
        parameters=[ID],
        responses={200: CategorySerializer, **error_responses(401, 403, 404)},
    ),
)
class CategoryViewSet(ApiViewMixin, ConditionalListMixin, viewsets.ReadOnlyModelViewSet):
    """Categories of the user's queues; retired ones too (filter `is_active`)."""

    serializer_class = CategorySerializer
    filterset_class = CategoryFilterSet
    pagination_class = None
    lookup_value_regex = "[^/]+"

    def get_queryset(self) -> QuerySet:
        visible = Queue.objects.visible_to(self.request.user)
        return Category.objects.filter(topic__queue__in=visible).select_related("topic__queue")


class PersonPagination(PageNumberPagination):
    """Pickers show one short page; typing more narrows it."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 50


@extend_schema_view(
    list=extend_schema(
        summary=_("Find people to assign enquiries to"),
        description=_(
            "Active staff who may be given enquiries of the queues you see (with "
            "`queue`, of that queue only), by name, username or team, in pages of 20. "
            "For the assignee pickers of the pages; an assignee is then sent by id "
            "(pages) or username (the enquiry API)."
        ),
        responses={200: PersonSerializer(many=True), **error_responses(400, 401, 403)},
    ),
)
class PersonViewSet(
    ApiViewMixin, ConditionalListMixin, mixins.ListModelMixin, viewsets.GenericViewSet
):
    """The people picker's source: whom the user may assign, never all staff."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    pagination_class = PersonPagination
    # Whoever sees enquiries sees who they are assigned to.
    action_permissions = {"list": ["enquiries.view_enquiry"]}

    def get_queryset(self) -> QuerySet:
        scope = self.request.query_params.get("scope", "assignable")
        return people_for(self.request.user, scope=scope).order_by(
            "first_name", "last_name", "username", "pk"
        )


NO_STORE = OpenApiParameter(
    "Cache-Control",
    str,
    OpenApiParameter.HEADER,
    description="no-store",
    response=[200],
)


@extend_schema_view(
    list=extend_schema(
        summary=_("Search citizens"),
        description=_("By name or phone number, in pages. Look up a CPR number with …/lookup/."),
        responses={200: CitizenSerializer(many=True), **error_responses(400, 401, 403, 404)},
    ),
    create=extend_schema(
        summary=_("Register a citizen"),
        responses={201: CitizenSerializer, **error_responses(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary=_("Get a citizen"),
        parameters=[ID],
        responses={200: CitizenSerializer, **error_responses(401, 403, 404)},
    ),
    partial_update=extend_schema(
        summary=_("Change a citizen"),
        parameters=[ID],
        responses={200: CitizenSerializer, **error_responses(400, 401, 403, 404)},
    ),
)
class CitizenViewSet(
    VersionedApiMixin,
    ApiViewMixin,
    ConditionalListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Citizens, for roles that may see them. CPR numbers go in, masked ones out."""

    serializer_class = CitizenSerializer
    filterset_class = CitizenFilterSet
    lookup_value_regex = "[^/]+"
    http_method_names = ["get", "post", "patch", "head", "options"]
    action_permissions = {
        "lookup": ["enquiries.view_citizen"],
        "reveal_cpr": ["enquiries.view_citizen", "enquiries.reveal_cpr"],
    }

    def get_queryset(self) -> QuerySet:
        return Citizen.objects.visible_to(self.request.user)

    def get_success_headers(self, data: dict) -> dict:
        return {"Location": reverse("api:citizen-detail", args=[data["id"]])}

    def perform_create(self, serializer) -> None:
        citizen = serializer.save()
        # Registered, not yet on an enquiry: its author may still read it.
        services.record_citizen_registration(citizen, by=self.request.user)

    @extend_schema(
        summary=_("Find a citizen by CPR number"),
        description=_(
            "An exact match. The number travels in the body, so it never appears in "
            "a URL or an access log. 404 when no citizen has it."
        ),
        request=CprSerializer,
        responses={200: CitizenSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=False, methods=["post"], filterset_class=None)
    def lookup(self, request: Request, *args, **kwargs) -> Response:
        serializer = CprSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        number = serializer.validated_data["cpr"]
        # Across teams too, by the exact number; such a find is logged.
        found = services.look_up_citizens(number, by=request.user)
        citizen = Citizen.objects.with_cpr(number).filter(pk__in=[c.pk for c in found]).first()
        if citizen is None:
            raise Http404(_("No citizen has this CPR number."))
        return Response(self.get_serializer(citizen).data)

    @extend_schema(
        summary=_("Reveal the full CPR number"),
        description=_(
            "For roles that may reveal CPR numbers; who, when and why is logged. The "
            "response must not be cached."
        ),
        request=RevealReasonSerializer,
        parameters=[ID, NO_STORE],
        responses={200: RevealedCprSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"], url_path="reveal-cpr", url_name="reveal-cpr")
    def reveal_cpr(self, request: Request, *args, **kwargs) -> Response:
        citizen = self.get_object()
        serializer = RevealReasonSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        number = services.reveal_cpr(
            citizen, by=request.user, reason=serializer.validated_data["reason"]
        )
        return Response({"cpr": number}, headers={"Cache-Control": "no-store"})
