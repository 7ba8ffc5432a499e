"""Downloads of the enquiry and action lists, with the lists' own filters.

Each export starts from the same `visible_to(user)` QuerySet and the same
FilterSet as its list page, so it can never show more than the list. Rows
are read in keyset chunks and streamed; the list's sort is not applied
(enquiries come newest first, actions in the order they were created).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.filtersets import ActionFilterSet
from actions.models import Action
from enquiries.cpr import contains_cpr
from enquiries.filtersets import EnquiryFilterSet
from enquiries.models import Enquiry
from exports import columns as cols
from exports.chunking import DEFAULT_CHUNK_SIZE
from exports.writers import export_response
from nemid_cases.views import PermissionView


def chunk_size() -> int:
    """Rows per query (setting EXPORT_CHUNK_SIZE; tests lower it)."""
    return getattr(settings, "EXPORT_CHUNK_SIZE", DEFAULT_CHUNK_SIZE)


def bad_filters(form) -> HttpResponse:
    """A 400 naming each filter that did not validate."""
    lines = [_("The export was not made: a filter is not valid.")]
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else name
        lines.append(f"{label}: {' '.join(errors)}")
    return HttpResponseBadRequest("\n".join(lines), content_type="text/plain; charset=utf-8")


class EnquiryExportView(PermissionView):
    """The enquiry list as CSV or XLSX, filtered as on the list page."""

    permission_required = "enquiries.view_enquiry"

    def get(self, request: HttpRequest, fmt: str) -> HttpResponseBase:
        if contains_cpr(request.GET.get("q", "")):
            return HttpResponseBadRequest(
                _("CPR numbers are never searched, so they cannot end up in a web address."),
                content_type="text/plain; charset=utf-8",
            )
        user = request.user
        filterset = EnquiryFilterSet(
            request.GET, queryset=Enquiry.objects.visible_to(user), request=request
        )
        if not filterset.is_valid():
            return bad_filters(filterset.form)
        columns = cols.enquiry_columns(
            with_citizen=user.has_perm("enquiries.view_citizen"), now=timezone.now()
        )
        rows = cols.rows_of(
            filterset.qs,
            columns,
            key=("-received_at", "-id"),
            chunk_size=chunk_size(),
        )
        return export_response(
            fmt,
            filename="henvendelser",
            headers=cols.headers_of(columns),
            rows=rows,
            title=_("Enquiries"),
            widths=cols.widths_of(columns),
        )


class ActionExportView(PermissionView):
    """The action list as CSV or XLSX, filtered as on the list page."""

    permission_required = "actions.view_action"

    def get(self, request: HttpRequest, fmt: str) -> HttpResponseBase:
        today = timezone.localdate()
        filterset = ActionFilterSet(
            request.GET or None,
            queryset=Action.objects.visible_to(request.user),
            request=request,
            today=today,
        )
        if filterset.is_bound and not filterset.is_valid():
            return bad_filters(filterset.form)
        queryset = filterset.qs if filterset.is_bound else filterset.queryset
        columns = cols.action_columns(today=today)
        rows = cols.rows_of(queryset, columns, key=("id",), chunk_size=chunk_size())
        return export_response(
            fmt,
            filename="indsatser",
            headers=cols.headers_of(columns),
            rows=rows,
            title=_("Actions"),
            widths=cols.widths_of(columns),
        )
