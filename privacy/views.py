"""Data-request pages: find a citizen by CPR number, export their data, erase them.

For the secretariat and administrators. Citizens come from
`requestable_citizens(user)`, so a user without the permission finds
nobody. Nothing here is cached by the browser (`never_cache`): the pages
show personal data and the export a full CPR number.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from enquiries.models import Citizen, Enquiry
from nemid_cases.views import PermissionView, ServiceFormView, add_service_errors
from privacy import access, services
from privacy.forms import AccessExportForm, CitizenFindForm, ErasureForm
from privacy.models import DataRequest, requestable_citizens

RECENT_REQUESTS = 25


@method_decorator(never_cache, name="dispatch")
class DataRequestIndexView(PermissionView):
    """Find the citizen a request is about; the latest requests handled."""

    permission_required = "privacy.view_datarequest"
    template_name = "privacy/index.html"

    def context(self, form: CitizenFindForm) -> dict:
        requests = (
            DataRequest.objects.visible_to(self.request.user)
            .select_related("handled_by", "citizen")
            .order_by("-handled_at", "-id")[:RECENT_REQUESTS]
        )
        return {"form": form, "requests": requests}

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, self.context(CitizenFindForm()))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CitizenFindForm(request.POST)
        if form.is_valid():
            citizen = requestable_citizens(request.user).with_cpr(form.cleaned_data["cpr"]).first()
            if citizen is not None:
                return redirect("privacy:citizen", pk=citizen.pk)
            form.add_error("cpr", _("No citizen has this CPR number."))
        return render(request, self.template_name, self.context(form), status=400)


class CitizenMixin:
    def get_citizen(self) -> Citizen:
        return get_object_or_404(requestable_citizens(self.request.user), pk=self.kwargs["pk"])


def _citizen_context(request: HttpRequest, citizen: Citizen, **forms) -> dict:
    enquiries = (
        Enquiry.objects.visible_to(request.user)
        .filter(citizen=citizen)
        .select_related("queue", "category__topic")
        .order_by("-received_at", "-id")
    )
    requests = (
        DataRequest.objects.visible_to(request.user)
        .filter(citizen=citizen)
        .select_related("handled_by")
        .order_by("-handled_at", "-id")
    )
    return {
        "citizen": citizen,
        "enquiries": enquiries,
        "requests": requests,
        "export_form": forms.get("export_form") or AccessExportForm(),
        "can_erase": request.user.has_perm("privacy.erase_citizen"),
    }


@method_decorator(never_cache, name="dispatch")
class CitizenRequestView(CitizenMixin, PermissionView):
    """What is held about one citizen, with the export and erasure."""

    permission_required = "privacy.view_datarequest"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        context = _citizen_context(request, self.get_citizen())
        return render(request, "privacy/citizen.html", context)


@method_decorator(never_cache, name="dispatch")
class AccessExportView(CitizenMixin, PermissionView):
    """Download the access export (JSON or HTML); logged, with a CPR reveal."""

    permission_required = "privacy.export_citizen_data"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        citizen = self.get_citizen()
        form = AccessExportForm(request.POST)
        if form.is_valid():
            try:
                data_request, data = services.export_citizen_data(
                    citizen,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    format=form.cleaned_data["format"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return export_response(data, data_request.format)
        context = _citizen_context(request, citizen, export_form=form)
        return render(request, "privacy/citizen.html", context, status=400)


def export_response(data: dict, format: str) -> HttpResponse:
    if format == DataRequest.Format.HTML:
        body, content_type, extension = access.render_html(data), "text/html", "html"
    else:
        body, content_type, extension = access.render_json(data), "application/json", "json"
    response = HttpResponse(body, content_type=f"{content_type}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{access.filename(data, extension)}"'
    response["Cache-Control"] = "no-store"
    return response


@method_decorator(never_cache, name="dispatch")
class ErasureView(CitizenMixin, ServiceFormView):
    """Erase a citizen on request, with the reason; refused while a case is open."""

    permission_required = "privacy.erase_citizen"
    form_class = ErasureForm
    template_name = "privacy/erase.html"
    invalid_status = 400

    @cached_property
    def citizen(self) -> Citizen:
        return self.get_citizen()

    def get_context_data(self, form: ErasureForm) -> dict:
        citizen = self.citizen
        open_enquiries = Enquiry.objects.filter(citizen=citizen).open().order_by("received_at")
        return {"citizen": citizen, "form": form, "open_enquiries": open_enquiries}

    def perform(self, form: ErasureForm) -> DataRequest:
        return services.erase_citizen(
            self.citizen, by=self.request.user, reason=form.cleaned_data["reason"]
        )

    def success_message(self, data_request: DataRequest) -> str:
        return _("The citizen's personal data is erased (%(count)d enquiries anonymised).") % {
            "count": data_request.enquiry_count
        }

    def get_success_url(self, data_request: DataRequest) -> str:
        return reverse("privacy:citizen", kwargs={"pk": self.citizen.pk})
