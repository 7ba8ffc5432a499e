"""The mail pages: an enquiry's e-mails, their files, the quarantine and
the mailboxes. Every query starts from a `visible_to(user)` QuerySet."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from enquiries.models import Citizen, Enquiry, Queue
from mailroom import services
from mailroom.forms import DiscardForm, FileAsEnquiryForm, LinkCitizenForm
from mailroom.models import Correspondent, InboundAttachment, InboundMessage, Mailbox
from nemid_cases.views import PermissionView, ServiceFormView

PAGE_SIZE = 25


class EnquiryMailView(PermissionView):
    """An enquiry's e-mails with their files, and who wrote them."""

    permission_required = "mailroom.view_inboundmessage"
    http_method_names = ["get"]

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        enquiry = get_object_or_404(
            Enquiry.objects.visible_to(request.user).select_related("citizen"),
            reference=reference,
        )
        return render(request, "mailroom/enquiry_mail.html", _mail_context(request, enquiry))


def _mail_context(request: HttpRequest, enquiry: Enquiry, form=None) -> dict:
    user = request.user
    mails = (
        InboundMessage.objects.visible_to(user)
        .filter(enquiry=enquiry)
        .order_by("received_at", "id")
        .prefetch_related(Prefetch("attachments", InboundAttachment.objects.order_by("id")))
    )
    correspondents = list(
        Correspondent.objects.visible_to(user)
        .filter(enquiry=enquiry)
        .select_related("suggested_citizen")
    )
    if not user.has_perm("enquiries.view_citizen"):
        # Who the sender may be is for those who work with citizens.
        for correspondent in correspondents:
            correspondent.suggested_citizen = None
    can_link = (
        user.has_perms(["mailroom.change_correspondent", "enquiries.change_enquiry"])
        and enquiry.anonymised_at is None
    )
    return {
        "enquiry": enquiry,
        "mails": mails,
        "correspondents": correspondents,
        "can_link": can_link,
        "form": form or LinkCitizenForm(),
    }


class LinkCitizenView(PermissionView):
    """Link the enquiry of an e-mail's sender to a citizen (the suggestion or
    one found by number); the enquiry service writes the timeline."""

    permission_required = ("mailroom.change_correspondent", "enquiries.change_enquiry")
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        correspondent = get_object_or_404(
            Correspondent.objects.visible_to(request.user).select_related("enquiry"), pk=pk
        )
        enquiry = correspondent.enquiry
        form = LinkCitizenForm(request.POST)
        if form.is_valid():
            citizen = self._citizen(request, correspondent, form.cleaned_data)
            if citizen is None:
                form.add_error(
                    None, _("No single citizen you can see has this CPR or phone number.")
                )
            else:
                try:
                    services.link_citizen(correspondent, citizen=citizen, by=request.user)
                except (ValidationError, PermissionDenied) as error:
                    messages_ = getattr(error, "messages", None) or [str(error)]
                    for message in messages_:
                        form.add_error(None, message)
                else:
                    messages.success(
                        request,
                        _("The enquiry is now linked to %(citizen)s.") % {"citizen": citizen},
                    )
                    return redirect("mailroom:enquiry", reference=enquiry.reference)
        return render(
            request,
            "mailroom/enquiry_mail.html",
            _mail_context(request, enquiry, form=form),
            status=400,
        )

    @staticmethod
    def _citizen(request: HttpRequest, correspondent: Correspondent, data: dict) -> Citizen | None:
        if data.get("citizen"):
            if data["citizen"] == correspondent.suggested_citizen_id:
                return correspondent.suggested_citizen
            return Citizen.objects.visible_to(request.user).filter(pk=data["citizen"]).first()
        return services.find_citizen(data["lookup"], by=request.user)


class AttachmentDownloadView(PermissionView):
    """A file of an e-mail, as a download: never inline and never sniffed."""

    permission_required = "mailroom.view_inboundattachment"
    http_method_names = ["get"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        attachment = get_object_or_404(
            InboundAttachment.objects.filter(
                message__in=InboundMessage.objects.visible_to(request.user),
                message__enquiry__in=Enquiry.objects.visible_to(request.user),
            ),
            pk=pk,
        )
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404(_("The file is missing from storage.")) from missing
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class QuarantineListView(PermissionView):
    """Mail set aside with the reason, newest first, for the secretariat
    (and a team lead, their queues' mailboxes); `?show=automatic` lists the
    auto-replies and bounces that filed nothing, where a false positive hides."""

    permission_required = "mailroom.view_quarantine"
    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        automatic = request.GET.get("show") == "automatic"
        rows = InboundMessage.objects.visible_to(request.user)
        rows = rows.automatic().filter(enquiry__isnull=True) if automatic else rows.quarantined()
        rows = rows.select_related("mailbox").defer("body_text", "body_html", "cpr_ciphertext")
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        return render(request, "mailroom/quarantine.html", {"page": page, "automatic": automatic})


class SetAsideMixin:
    """The detail page of a message set aside, and the forms deciding about it."""

    template_name = "mailroom/quarantine_detail.html"
    # The decision forms put their errors under the page: status 400.
    invalid_status = 400

    def get_message(self) -> InboundMessage:
        if not hasattr(self, "_message"):
            self._message = get_object_or_404(
                InboundMessage.objects.visible_to(self.request.user).select_related(
                    "mailbox__queue", "enquiry"
                ),
                pk=self.kwargs["pk"],
            )
        return self._message

    def decision_context(self, **forms) -> dict:
        user = self.request.user
        message = self.get_message()
        queues = Queue.objects.visible_to(user)
        return {
            "mail": message,
            "decisions": message.decisions.select_related("decided_by", "queue", "enquiry"),
            "can_decide": message.is_set_aside and user.has_perm("mailroom.refile_message"),
            "file_form": forms.get("file_form")
            or FileAsEnquiryForm(queues=queues, initial={"queue": message.mailbox.queue_id}),
            "discard_form": forms.get("discard_form") or DiscardForm(),
            "refile_errors": forms.get("refile_errors", []),
        }


class QuarantineDetailView(SetAsideMixin, PermissionView):
    """One message set aside (or decided about): its text, reason and log."""

    permission_required = "mailroom.view_quarantine"
    http_method_names = ["get"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return render(request, self.template_name, self.decision_context())


def _after_decision(request: HttpRequest, row: InboundMessage) -> HttpResponse:
    visible = Enquiry.objects.visible_to(request.user).filter(pk=row.enquiry_id)
    if row.enquiry_id and visible.exists():
        return redirect("enquiries:detail", row.enquiry.reference)
    return redirect("mailroom:quarantine-detail", row.pk)


class RefileView(SetAsideMixin, PermissionView):
    """Read a quarantined message again and file it as intake would."""

    permission_required = ("mailroom.view_quarantine", "mailroom.refile_message")
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        message = self.get_message()
        try:
            row = services.refile_message(message, by=request.user)
        except ValidationError as error:
            context = self.decision_context(refile_errors=error.messages)
            return render(request, self.template_name, context, status=self.invalid_status)
        if row.status == InboundMessage.Status.FILED:
            text = _("The e-mail was read again and filed on %(reference)s.") % {
                "reference": row.enquiry.reference
            }
        else:
            text = _("The e-mail was read again: %(status)s (%(reason)s).") % {
                "status": row.get_status_display(),
                "reason": row.reason,
            }
        messages.success(request, text)
        return _after_decision(request, row)


class FileAsEnquiryView(SetAsideMixin, ServiceFormView):
    """File a message set aside as a new enquiry in a chosen queue."""

    permission_required = ("mailroom.view_quarantine", "mailroom.refile_message")
    http_method_names = ["post"]
    form_class = FileAsEnquiryForm

    def get_form_kwargs(self) -> dict:
        return {"queues": Queue.objects.visible_to(self.request.user)}

    def get_context_data(self, **kwargs) -> dict:
        return self.decision_context(file_form=kwargs["form"])

    def perform(self, form: FileAsEnquiryForm) -> InboundMessage:
        return services.file_as_enquiry(
            self.get_message(),
            queue=form.cleaned_data["queue"],
            note=form.cleaned_data["note"],
            by=self.request.user,
        )

    def form_saved(self, form, result: InboundMessage) -> HttpResponse:
        messages.success(
            self.request,
            _("The e-mail was filed as %(reference)s.") % {"reference": result.enquiry.reference},
        )
        return _after_decision(self.request, result)


class DiscardView(SetAsideMixin, ServiceFormView):
    """Discard a message set aside, with the reason."""

    permission_required = ("mailroom.view_quarantine", "mailroom.refile_message")
    http_method_names = ["post"]
    form_class = DiscardForm

    def get_context_data(self, **kwargs) -> dict:
        return self.decision_context(discard_form=kwargs["form"])

    def perform(self, form: DiscardForm) -> InboundMessage:
        return services.discard_message(
            self.get_message(), reason=form.cleaned_data["reason"], by=self.request.user
        )

    def form_saved(self, form, result: InboundMessage) -> HttpResponse:
        messages.success(self.request, _("The e-mail was discarded."))
        return redirect("mailroom:quarantine")


class MailboxListView(PermissionView):
    """The mailboxes, their queues and the last error of each poll."""

    permission_required = "mailroom.view_mailbox"
    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        mailboxes = Mailbox.objects.visible_to(request.user).select_related("queue")
        return render(request, "mailroom/mailbox_list.html", {"mailboxes": mailboxes})
