"""Staff pages for outage notices: everyone with a desk reads incidents; the
secretariat and managers publish, update and resolve them, through a draft
that another person approves where accounts.roles.APPROVAL_NEEDED says so."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from nemid_cases.versioning import save_edit
from notices import services
from notices.forms import (
    ApproveDraftForm,
    IncidentForm,
    IncidentUpdateForm,
    RejectDraftForm,
    ResolveIncidentForm,
)
from notices.models import Incident, PublicationDraft


class PermissionView(PermissionRequiredMixin, View):
    raise_exception = True


def _apply_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


def _after_submission(request, submission: services.Submission, published: str, incident_pk):
    """To the draft if it waits for approval, else to the incident."""
    if submission.draft is not None:
        messages.success(request, _("Sent for approval; it is not public until approved."))
        return redirect("notices:draft-detail", pk=submission.draft.pk)
    messages.success(request, published)
    return redirect("notices:detail", pk=incident_pk)


class IncidentListView(PermissionView):
    permission_required = "notices.view_incident"

    def get(self, request: HttpRequest) -> HttpResponse:
        incidents = Incident.objects.visible_to(request.user)[:50]
        return render(request, "notices/incident_list.html", {"incidents": incidents})


class IncidentCreateView(PermissionView):
    permission_required = "notices.publish_incident"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "notices/incident_form.html", {"form": IncidentForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = IncidentForm(request.POST)
        if form.is_valid():
            try:
                submission = services.submit_incident(**form.cleaned_data, by=request.user)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                pk = submission.published.pk if submission.published else None
                return _after_submission(request, submission, _("The incident is published."), pk)
        return render(request, "notices/incident_form.html", {"form": form}, status=400)


class IncidentDetailView(PermissionView):
    permission_required = "notices.view_incident"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.show(request, pk)

    def show(self, request, pk, *, update_form=None, resolve_form=None, status=200):
        incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=pk)
        updates = incident.updates.select_related("standard_text")
        can_publish = request.user.has_perm("notices.publish_incident")
        drafts = (
            PublicationDraft.objects.visible_to(request.user)
            .filter(incident=incident)
            .prefetch_related("events__by")
        )
        context = {
            "incident": incident,
            "updates": updates,
            "drafts": drafts,
            "update_form": (update_form or IncidentUpdateForm()) if can_publish else None,
            "resolve_form": (resolve_form or ResolveIncidentForm()) if can_publish else None,
        }
        return render(request, "notices/incident_detail.html", context, status=status)


class IncidentUpdateView(IncidentDetailView):
    permission_required = "notices.publish_incident"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=pk)
        form = IncidentUpdateForm(request.POST)
        if form.is_valid():
            try:
                submission = services.submit_incident_update(
                    incident, **form.cleaned_data, by=request.user
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                return _after_submission(
                    request, submission, _("The update is published."), incident.pk
                )
        return self.show(request, pk, update_form=form, status=400)


class IncidentResolveView(IncidentDetailView):
    permission_required = "notices.publish_incident"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=pk)
        form = ResolveIncidentForm(request.POST)
        if form.is_valid():
            try:
                submission = services.submit_incident_resolution(
                    incident, **form.cleaned_data, by=request.user
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                return _after_submission(
                    request, submission, _("The incident is resolved."), incident.pk
                )
        return self.show(request, pk, resolve_form=form, status=400)


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
            "events": draft.events.select_related("by"),
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
                _apply_errors(form, error)
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
                _apply_errors(form, error)
            else:
                if done is not None:
                    messages.success(request, _("Rejected; the author is told why."))
                    return redirect("notices:draft-detail", pk=draft.pk)
        draft.refresh_from_db()
        return self.show(request, draft, reject_form=form, status=400)
