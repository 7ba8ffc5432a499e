"""The mailbox API: mailboxes for those who oversee them, the push
endpoint where a mail provider delivers raw RFC 822 messages, and the
decisions about a message set aside (the quarantine page's three buttons,
through the same services).

Pushing needs a token (or session) of a user holding
`mailroom.push_message`; the message is filed by the same service as the
IMAP poller, so a repeat of the same bytes is answered with the first row.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response

from mailroom import services
from mailroom.api.serializers import (
    DiscardSerializer,
    FileAsEnquirySerializer,
    InboundMessageSerializer,
    MailboxSerializer,
)
from mailroom.models import InboundMessage, Mailbox
from nemid_cases.api import (
    ApiViewMixin,
    ErrorSerializer,
    NumericIdMixin,
    RequestTooLarge,
    error_responses,
)
from nemid_cases.conditional import ConditionalListMixin

ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
EMPTY_BODY = _("The body is empty: send the raw message.")


class RawMessageParser(BaseParser):
    """A raw e-mail as the body (message/rfc822), up to MAIL_MAX_MESSAGE_BYTES."""

    media_type = "message/rfc822"

    # The message's bytes, not parsed data: the view reads them as they came.
    def parse(  # type: ignore[override]
        self, stream, media_type=None, parser_context=None
    ) -> bytes:
        limit = settings.MAIL_MAX_MESSAGE_BYTES
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestTooLarge()
        if not raw.strip():
            raise exceptions.ParseError(EMPTY_BODY)
        return raw


@extend_schema_view(
    list=extend_schema(
        summary=_("List mailboxes"),
        description=_("Addresses the desk receives mail at, their queues and last poll errors."),
        responses={200: MailboxSerializer(many=True), **error_responses(400, 401, 403)},
    ),
    retrieve=extend_schema(
        summary=_("Get a mailbox"),
        parameters=[ID],
        responses={200: MailboxSerializer, **error_responses(401, 403, 404)},
    ),
)
class MailboxViewSet(
    ApiViewMixin,
    NumericIdMixin,
    ConditionalListMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = MailboxSerializer
    http_method_names = ["get", "post", "head", "options"]
    action_permissions = {"push": ["mailroom.push_message"]}

    def get_queryset(self) -> QuerySet:
        if self.action == "push":
            # The pushing account needs no view permission: only the box.
            return Mailbox.objects.filter(is_active=True)
        return Mailbox.objects.visible_to(self.request.user).select_related("queue")

    @extend_schema(
        summary=_("Deliver a raw e-mail"),
        description=_(
            "For mail providers that push: the body is the message exactly as received "
            "(Content-Type: message/rfc822). It is filed as the poller files mail: a new "
            "enquiry, a reply on one, an automatic reply or bounce, or quarantine with the "
            "reason. 201 for a new message, 200 when the same bytes came before."
        ),
        parameters=[ID],
        request={"message/rfc822": OpenApiTypes.BINARY},
        responses={
            200: InboundMessageSerializer,
            201: InboundMessageSerializer,
            **error_responses(400, 401, 403, 404),
            413: OpenApiResponse(
                ErrorSerializer, description=_("Larger than MAIL_MAX_MESSAGE_BYTES.")
            ),
            415: OpenApiResponse(ErrorSerializer, description=_("Not message/rfc822.")),
        },
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="messages",
        parser_classes=[RawMessageParser],
    )
    def push(self, request: Request, pk: str) -> Response:
        mailbox = self.get_object()
        raw = request.data
        if not isinstance(raw, bytes):
            # DRF parses no empty body: answer as the parser would have.
            if request.content_type.split(";")[0].strip() == RawMessageParser.media_type:
                raise exceptions.ParseError(EMPTY_BODY)
            raise exceptions.UnsupportedMediaType(request.content_type)
        known = InboundMessage.objects.filter(
            mailbox=mailbox, digest=services.digest_of(raw)
        ).exists()
        row = services.receive_message(mailbox, raw, via=InboundMessage.Via.PUSH)
        return Response(
            InboundMessageSerializer(row).data,
            status=status.HTTP_200_OK if known else status.HTTP_201_CREATED,
        )


DECIDE = ["mailroom.view_quarantine", "mailroom.refile_message"]


class InboundMessageViewSet(ApiViewMixin, NumericIdMixin, viewsets.GenericViewSet):
    """Decisions about a message set aside, as on /mail/quarantine/<id>/:
    each calls the mailroom service the page calls, which locks the row,
    refuses a message already decided about (400) and logs the decision."""

    serializer_class = InboundMessageSerializer
    http_method_names = ["post", "options"]
    action_permissions = {"refile": DECIDE, "file": DECIDE, "discard": DECIDE}

    def get_queryset(self) -> QuerySet:
        return InboundMessage.objects.visible_to(self.request.user)

    def _answer(self, row: InboundMessage) -> Response:
        return Response(InboundMessageSerializer(row).data)

    def _decide(
        self, body: type[serializers.Serializer], decide: Callable[..., InboundMessage]
    ) -> Response:
        """The message, the request's body checked by `body`, then the service."""
        message = self.get_object()
        given = body(data=self.request.data)
        given.is_valid(raise_exception=True)
        return self._answer(decide(message, by=self.request.user, **given.validated_data))

    @extend_schema(
        summary=_("Read a message set aside again"),
        description=_(
            "Decrypts the kept message and files it as intake would, after a fix of the "
            "reader or a limit. Still unreadable: 400 with the reason, nothing changed."
        ),
        parameters=[ID],
        request=None,
        responses={200: InboundMessageSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def refile(self, request: Request, pk: str) -> Response:
        return self._answer(services.refile_message(self.get_object(), by=request.user))

    @extend_schema(
        summary=_("File a message set aside as an enquiry"),
        description=_(
            "A new enquiry in the queue given (by code), whatever the signs of a machine "
            "or a missing sender said."
        ),
        parameters=[ID],
        request=FileAsEnquirySerializer,
        responses={200: InboundMessageSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def file(self, request: Request, pk: str) -> Response:
        return self._decide(FileAsEnquirySerializer, services.file_as_enquiry)

    @extend_schema(
        summary=_("Discard a message set aside"),
        description=_(
            "With the reason, for the log; the kept message and the CPR numbers found "
            "in it are deleted."
        ),
        parameters=[ID],
        request=DiscardSerializer,
        responses={200: InboundMessageSerializer, **error_responses(400, 401, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def discard(self, request: Request, pk: str) -> Response:
        return self._decide(DiscardSerializer, services.discard_message)
