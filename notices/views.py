"""Staff pages for outage notices: everyone with a desk reads incidents; the
secretariat and managers publish, update and resolve them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from notices import services
from notices.forms import IncidentForm, IncidentUpdateForm, ResolveIncidentForm
from notices.models import Incident


class PermissionView(PermissionRequiredMixin, View):
    raise_exception = True


def _apply_errors(form, error: ValidationError) -> None:
    for field, messages_ in error.message_dict.items():
        form.add_error(field if field in form.fields else None, messages_)


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
                incident = services.publish_incident(**form.cleaned_data, by=request.user)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The incident is published."))
                return redirect("notices:detail", pk=incident.pk)
        return render(request, "notices/incident_form.html", {"form": form}, status=400)


class IncidentDetailView(PermissionView):
    permission_required = "notices.view_incident"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.show(request, pk)

    def show(self, request, pk, *, update_form=None, resolve_form=None, status=200):
        incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=pk)
        updates = incident.updates.select_related("standard_text")
        can_publish = request.user.has_perm("notices.publish_incident")
        context = {
            "incident": incident,
            "updates": updates,
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
                services.post_incident_update(incident, **form.cleaned_data, by=request.user)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The update is published."))
                return redirect("notices:detail", pk=incident.pk)
        return self.show(request, pk, update_form=form, status=400)


class IncidentResolveView(IncidentDetailView):
    permission_required = "notices.publish_incident"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=pk)
        form = ResolveIncidentForm(request.POST)
        if form.is_valid():
            try:
                services.resolve_incident(incident, **form.cleaned_data, by=request.user)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The incident is resolved."))
                return redirect("notices:detail", pk=incident.pk)
        return self.show(request, pk, resolve_form=form, status=400)
