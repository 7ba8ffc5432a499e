"""The answer-template pages and the reply page of an enquiry.

Templates are read from AnswerTemplate.objects.visible_to(user), enquiries
from Enquiry.objects.visible_to(user) and replies from
Reply.objects.visible_to(user); every write is a service call.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from answers import letters, services
from answers.forms import InForceOnForm, NewTemplateForm, ReplyForm, TemplateVersionForm, start_of
from answers.models import AnswerTemplate, AnswerTemplateVersion, Reply, versions_in_force
from answers.placeholders import PLACEHOLDERS
from enquiries.models import Enquiry
from nemid_cases import idempotency
from nemid_cases.views import PermissionView as SharedPermissionView
from nemid_cases.views import add_service_errors


class PermissionView(SharedPermissionView):
    """The project's PermissionView (nemid_cases.views) with this app's look-ups."""

    def get_template(self, key: str) -> AnswerTemplate:
        return get_object_or_404(AnswerTemplate.objects.visible_to(self.request.user), key=key)


def _moment(request: HttpRequest):
    """(form, moment) of `?on=YYYY-MM-DD`: the end of that day, else now."""
    form = InForceOnForm(request.GET or None)
    if form.is_valid() and form.cleaned_data["on"]:
        day = form.cleaned_data["on"]
        return form, start_of(day) + timezone.timedelta(days=1) - timezone.timedelta(microseconds=1)
    return form, timezone.now()


class TemplateListView(PermissionView):
    permission_required = "answers.view_answertemplate"

    def get(self, request: HttpRequest) -> HttpResponse:
        form, at = _moment(request)
        versions = versions_in_force(AnswerTemplate.objects.visible_to(request.user), at)
        return render(
            request,
            "answers/template_list.html",
            {"versions": versions, "form": form, "placeholders": PLACEHOLDERS},
        )


class TemplateDetailView(PermissionView):
    permission_required = "answers.view_answertemplate"

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        template = self.get_template(key)
        form, at = _moment(request)
        versions = list(template.versions.select_related("created_by").order_by("-version"))
        return render(
            request,
            "answers/template_detail.html",
            {
                "template": template,
                "versions": versions,
                "in_force": template.in_force(at),
                "form": form,
            },
        )


class TemplateCreateView(PermissionView):
    permission_required = ["answers.add_answertemplate", "answers.add_answertemplateversion"]

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "answers/template_form.html", {"form": NewTemplateForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = NewTemplateForm(request.POST)
        if form.is_valid():
            try:
                version = services.create_template(
                    form.cleaned_data["key"], by=request.user, **form.version_values()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                key = version.template.key
                messages.success(request, _("Template %(key)s created.") % {"key": key})
                return redirect("answers:template-detail", key=version.template.key)
        return render(request, "answers/template_form.html", {"form": form})


class VersionCreateView(PermissionView):
    """Publish a new version, starting from the one in force now."""

    permission_required = "answers.add_answertemplateversion"

    def get(self, request: HttpRequest, key: str) -> HttpResponse:
        template = self.get_template(key)
        current = template.in_force() or template.versions.order_by("-version").first()
        initial = {}
        if current is not None:
            initial = {
                field: getattr(current, field)
                for field in ("subject_da", "body_da", "subject_en", "body_en")
            }
        form = TemplateVersionForm(initial=initial)
        return render(request, "answers/template_form.html", {"form": form, "template": template})

    def post(self, request: HttpRequest, key: str) -> HttpResponse:
        template = self.get_template(key)
        form = TemplateVersionForm(request.POST)
        if form.is_valid():
            try:
                version = services.publish_template_version(
                    template, by=request.user, **form.version_values()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Version %(version)s published.") % {"version": version.version}
                )
                return redirect("answers:template-detail", key=template.key)
        return render(request, "answers/template_form.html", {"form": form, "template": template})


class ReplyView(PermissionView):
    """Reply to an enquiry's citizen: by e-mail or as a letter."""

    permission_required = "answers.add_reply"

    def get_enquiry(self, reference: str) -> Enquiry:
        pk = get_object_or_404(
            Enquiry.objects.visible_to(self.request.user).values_list("pk", flat=True),
            reference=reference,
        )
        return Enquiry.objects.select_related("citizen", "queue").get(pk=pk)

    def _versions(self) -> list[AnswerTemplateVersion]:
        return versions_in_force(AnswerTemplate.objects.visible_to(self.request.user))

    def _render(self, request, enquiry, form, versions) -> HttpResponse:
        return render(
            request,
            "answers/reply_form.html",
            {"enquiry": enquiry, "form": form, "versions": versions},
        )

    def _initial(self, enquiry: Enquiry) -> dict:
        citizen = enquiry.citizen
        return {
            "channel": Reply.Channel.EMAIL
            if citizen is None or citizen.email
            else Reply.Channel.LETTER,
            "language": "en" if enquiry.language == "en" else "da",
        }

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        enquiry = self.get_enquiry(reference)
        versions = self._versions()
        form = ReplyForm(initial=self._initial(enquiry), versions=versions)
        return self._render(request, enquiry, form, versions)

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        enquiry = self.get_enquiry(reference)
        versions = self._versions()
        form = ReplyForm(request.POST, versions=versions)
        if not form.is_valid():
            return self._render(request, enquiry, form, versions)
        data = form.cleaned_data
        if request.POST.get("action") == "fill" and data["template_version"]:
            # "Use template": the page again, with the text filled in to edit.
            subject, body = services.compose(
                enquiry, data["template_version"], language=data["language"], by=request.user
            )
            filled = ReplyForm(
                initial={**data, "subject": subject, "body": body}, versions=versions
            )
            return self._render(request, enquiry, filled, versions)
        try:
            reply, first_answer = idempotency.once(
                request.user,
                data["idempotency_key"],
                lambda: services.send_reply(
                    enquiry,
                    by=request.user,
                    channel=data["channel"],
                    language=data["language"],
                    subject=data["subject"],
                    body=data["body"],
                    template_version=data["template_version"],
                    wait_for_citizen=data["wait_for_citizen"],
                ),
                location_of=lambda reply: reverse(
                    "enquiries:detail", kwargs={"reference": enquiry.reference}
                ),
            )
        except ValidationError as error:
            add_service_errors(form, error)
            return self._render(request, enquiry, form, versions)
        if first_answer:
            messages.info(request, _("This reply was already sent; it was not sent twice."))
            return redirect(first_answer)
        if reply.channel == Reply.Channel.EMAIL:
            messages.success(request, _("The reply is queued for sending by e-mail."))
        else:
            messages.success(request, _("The letter is saved; print it from the enquiry page."))
        return redirect("enquiries:detail", reference=enquiry.reference)


class LetterView(PermissionView):
    """A letter reply as a PDF for print."""

    permission_required = "answers.view_reply"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        reply = get_object_or_404(
            Reply.objects.visible_to(request.user).select_related("enquiry", "sent_by"),
            pk=pk,
            channel=Reply.Channel.LETTER,
        )
        response = HttpResponse(letters.render_pdf(reply), content_type="application/pdf")
        filename = f"{reply.enquiry.reference}-{reply.pk}.pdf"
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response
