"""Staff pages for outage notices: everyone with a desk reads incidents; the
secretariat and managers publish, update and resolve them."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

from nemid_cases.views import PermissionView, ServiceFormView
from notices import services
from notices.forms import IncidentForm, IncidentUpdateForm, ResolveIncidentForm
from notices.models import Incident


class IncidentListView(PermissionView):
    permission_required = "notices.view_incident"

    def get(self, request):
        incidents = Incident.objects.visible_to(request.user)[:50]
        return render(request, "notices/incident_list.html", {"incidents": incidents})


class IncidentCreateView(ServiceFormView):
    permission_required = "notices.publish_incident"
    form_class = IncidentForm
    template_name = "notices/incident_form.html"
    invalid_status = 400

    def perform(self, form: IncidentForm) -> Incident:
        return services.publish_incident(**form.cleaned_data, by=self.request.user)

    def success_message(self, incident: Incident) -> str:
        return _("The incident is published.")

    def get_success_url(self, incident: Incident) -> str:
        return reverse("notices:detail", kwargs={"pk": incident.pk})


def _detail_context(request, incident: Incident, **forms) -> dict:
    can_publish = request.user.has_perm("notices.publish_incident")
    return {
        "incident": incident,
        "updates": incident.updates.select_related("standard_text"),
        "update_form": (forms.get("update_form") or IncidentUpdateForm()) if can_publish else None,
        "resolve_form": (
            (forms.get("resolve_form") or ResolveIncidentForm()) if can_publish else None
        ),
    }


class IncidentDetailView(PermissionView):
    permission_required = "notices.view_incident"

    def get(self, request, pk: int):
        incident = get_object_or_404(Incident.objects.visible_to(request.user), pk=pk)
        return render(request, "notices/incident_detail.html", _detail_context(request, incident))


class IncidentFormView(ServiceFormView):
    """A form on the incident's page, shown there again when refused."""

    permission_required = "notices.publish_incident"
    http_method_names = ["post"]
    template_name = "notices/incident_detail.html"
    invalid_status = 400
    context_name: str

    @cached_property
    def incident(self) -> Incident:
        return get_object_or_404(
            Incident.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_context_data(self, form) -> dict:
        return _detail_context(self.request, self.incident, **{self.context_name: form})

    def get_success_url(self, result) -> str:
        return reverse("notices:detail", kwargs={"pk": self.incident.pk})


class IncidentUpdateView(IncidentFormView):
    form_class = IncidentUpdateForm
    context_name = "update_form"

    def perform(self, form: IncidentUpdateForm):
        return services.post_incident_update(
            self.incident, **form.cleaned_data, by=self.request.user
        )

    def success_message(self, result) -> str:
        return _("The update is published.")


class IncidentResolveView(IncidentFormView):
    form_class = ResolveIncidentForm
    context_name = "resolve_form"

    def perform(self, form: ResolveIncidentForm):
        return services.resolve_incident(self.incident, **form.cleaned_data, by=self.request.user)

    def success_message(self, result) -> str:
        return _("The incident is resolved.")
