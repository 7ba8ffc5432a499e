"""Staff pages for outage notices: everyone with a desk reads incidents; the
secretariat and managers publish, update and resolve them, through a draft
that another person approves where accounts.roles.APPROVAL_NEEDED says so."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from enquiries.linking import FilteredBulkLinkView
from enquiries.models import Enquiry
from nemid_cases.versioning import save_edit
from nemid_cases.views import PermissionView, ServiceFormView, add_service_errors
from notices import services
from notices.forms import (
    ApproveDraftForm,
    IncidentChoiceForm,
    IncidentForm,
    IncidentLinkForm,
    IncidentUpdateForm,
    RejectDraftForm,
    ResolveIncidentForm,
)
from notices.models import Incident, PublicationDraft
from notices.service_map import suggested_enquiries


class IncidentListView(PermissionView):
    permission_required = "notices.view_incident"

    def get(self, request: HttpRequest) -> HttpResponse:
        incidents = Incident.objects.visible_to(request.user)[:50]
        return render(request, "notices/incident_list.html", {"incidents": incidents})


class SubmissionFormView(ServiceFormView):
    """A publishing form: public at once, or a draft another person approves
    (accounts.roles.APPROVAL_NEEDED); `perform` returns the Submission."""

    permission_required = "notices.publish_incident"
    invalid_status = 400
    published_message: str

    def form_saved(self, form, submission: services.Submission) -> HttpResponse:
        if submission.draft is not None:
            messages.success(self.request, _("Sent for approval; it is not public until approved."))
            return redirect("notices:draft-detail", pk=submission.draft.pk)
        return super().form_saved(form, submission)

    def success_message(self, submission: services.Submission) -> str:
        return self.published_message


class IncidentCreateView(SubmissionFormView):
    form_class = IncidentForm
    template_name = "notices/incident_form.html"
    published_message = gettext_lazy("The incident is published.")

    def perform(self, form: IncidentForm) -> services.Submission:
        return services.submit_incident(**form.cleaned_data, by=self.request.user)

    def get_success_url(self, submission: services.Submission) -> str:
        return reverse("notices:detail", kwargs={"pk": submission.published.pk})


def _detail_context(request, incident: Incident, **forms) -> dict:
    can_publish = request.user.has_perm("notices.publish_incident")
    drafts = (
        PublicationDraft.objects.visible_to(request.user)
        .filter(incident=incident)
        .prefetch_related("events__actor")
    )
    return {
        "incident": incident,
        "updates": incident.updates.select_related("standard_text"),
        "drafts": drafts,
        "update_form": (forms.get("update_form") or IncidentUpdateForm()) if can_publish else None,
        "resolve_form": (
            (forms.get("resolve_form") or ResolveIncidentForm()) if can_publish else None
        ),
    }


class IncidentDetailView(PermissionView):
    permission_required = "notices.view_incident"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=pk)
        return render(request, "notices/incident_detail.html", _detail_context(request, incident))


class IncidentFormView(SubmissionFormView):
    """A form on the incident's page, shown there again when refused."""

    http_method_names = ["post"]
    template_name = "notices/incident_detail.html"
    context_name: str

    @cached_property
    def incident(self) -> Incident:
        return get_object_or_404(
            Incident.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_context_data(self, form) -> dict:
        return _detail_context(self.request, self.incident, **{self.context_name: form})

    def get_success_url(self, submission) -> str:
        return reverse("notices:detail", kwargs={"pk": self.incident.pk})


class IncidentUpdateView(IncidentFormView):
    form_class = IncidentUpdateForm
    context_name = "update_form"
    published_message = gettext_lazy("The update is published.")

    def perform(self, form: IncidentUpdateForm) -> services.Submission:
        return services.submit_incident_update(
            self.incident, **form.cleaned_data, by=self.request.user
        )


class IncidentResolveView(IncidentFormView):
    form_class = ResolveIncidentForm
    context_name = "resolve_form"
    published_message = gettext_lazy("The incident is resolved.")

    def perform(self, form: ResolveIncidentForm) -> services.Submission:
        return services.submit_incident_resolution(
            self.incident, **form.cleaned_data, by=self.request.user
        )


class DraftListView(PermissionView):
    """Drafts awaiting approval, then the last decided ones."""

    permission_required = "notices.view_publicationdraft"

    def get(self, request: HttpRequest) -> HttpResponse:
        drafts = PublicationDraft.objects.visible_to(request.user).for_list()
        context = {
            "pending": drafts.pending().order_by("created_at", "id"),
            "decided": drafts.exclude(status=PublicationDraft.Status.PENDING)[:20],
        }
        return render(request, "notices/draft_list.html", context)


class DraftDetailView(PermissionView):
    permission_required = "notices.view_publicationdraft"

    def get_draft(self, request: HttpRequest, pk: int) -> PublicationDraft:
        drafts = PublicationDraft.objects.visible_to(request.user).for_list()
        return get_object_or_404(drafts, pk=pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.show(request, self.get_draft(request, pk))

    def show(self, request, draft, *, approve_form=None, reject_form=None, status=200):
        may_decide = (
            draft.is_pending
            and request.user.has_perm("notices.approve_publicationdraft")
            and draft.created_by_id != request.user.pk
        )
        context = {
            "draft": draft,
            "events": draft.events.select_related("actor"),
            "text": draft.wording(),
            "may_decide": may_decide,
            "approve_form": approve_form or ApproveDraftForm(draft=draft),
            "reject_form": reject_form or RejectDraftForm(draft=draft),
        }
        return render(request, "notices/draft_detail.html", context, status=status)


class DraftApproveView(DraftDetailView):
    permission_required = "notices.approve_publicationdraft"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        draft = self.get_draft(request, pk)
        form = ApproveDraftForm(request.POST, draft=draft)
        if form.is_valid():
            try:
                done = save_edit(
                    form, draft, lambda: services.approve_draft(draft, by=request.user)
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if done is not None:
                    messages.success(request, _("Approved and published."))
                    return redirect("notices:draft-detail", pk=draft.pk)
        draft.refresh_from_db()
        return self.show(request, draft, approve_form=form, status=400)


class DraftRejectView(DraftDetailView):
    permission_required = "notices.approve_publicationdraft"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        draft = self.get_draft(request, pk)
        form = RejectDraftForm(request.POST, draft=draft)
        if form.is_valid():
            reason = form.cleaned_data["reason"]
            try:
                done = save_edit(
                    form,
                    draft,
                    lambda: services.reject_draft(draft, by=request.user, reason=reason),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if done is not None:
                    messages.success(request, _("Rejected; the author is told why."))
                    return redirect("notices:draft-detail", pk=draft.pk)
        draft.refresh_from_db()
        return self.show(request, draft, reject_form=form, status=400)


class IncidentLinkView(PermissionView):
    """Link the ticked suggestions of the incident's page, or all of them."""

    permission_required = "notices.add_incidentlink"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=pk)
        form = IncidentLinkForm(request.POST)
        if not form.is_valid():
            for message in form.errors.get("__all__", []) + form.errors.get("enquiry", []):
                messages.error(request, message)
            return redirect(reverse("notices:detail", kwargs={"pk": pk}) + "#links")
        if form.cleaned_data["all_suggested"]:
            chosen = suggested_enquiries(incident, request.user)
        else:
            chosen = Enquiry.objects.filter(pk__in=form.cleaned_data["enquiry"])
        count = services.link_enquiries(incident, chosen, by=request.user)
        messages.success(
            request,
            ngettext("%(count)d enquiry linked.", "%(count)d enquiries linked.", count)
            % {"count": count},
        )
        return redirect(reverse("notices:detail", kwargs={"pk": pk}) + "#links")


class IncidentUnlinkView(PermissionView):
    permission_required = "notices.delete_incidentlink"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=pk)
        enquiry_id = request.POST.get("enquiry", "")
        if enquiry_id.isascii() and enquiry_id.isdigit() and len(enquiry_id) <= 18:
            services.unlink_enquiries(
                incident, Enquiry.objects.filter(pk=enquiry_id), by=request.user
            )
            messages.success(request, _("The enquiry is no longer linked to the incident."))
        return redirect(reverse("notices:detail", kwargs={"pk": pk}) + "#links")


class IncidentBulkLinkView(FilteredBulkLinkView):
    """Link every enquiry matching the enquiry list's filters to an incident."""

    permission_required = "notices.add_incidentlink"
    form_class = IncidentChoiceForm
    form_prefix = "incident"
    target_field = "incident"

    def link(self, target: Incident, enquiries) -> int:
        return services.link_enquiries(target, enquiries, by=self.request.user)

    def done_url(self, target: Incident) -> str:
        return reverse("notices:detail", kwargs={"pk": target.pk}) + "#links"

    def invalid_message(self) -> str:
        return _("Choose an incident and valid filters.")
