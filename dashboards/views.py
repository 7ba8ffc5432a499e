"""The managers' dashboard and the exports of its tables.

Readers: managers, the secretariat and administrators for every queue;
team leads for their team's queues (the chooser offers only those). Each
panel needs its own read permission too (actions, pattern alerts,
surveys, ratings), so a team lead sees no survey panel. Support agents
get 403: their work starts from the enquiry lists.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from analytics.periods import local_day
from dashboards import cache as figure_cache
from dashboards.charts import chart_specs
from dashboards.forms import (
    CUSTOM,
    DEFAULT_PERIOD,
    PERIOD_CHOICES,
    DashboardFilterForm,
    preset_range,
)
from dashboards.tables import Dashboard
from exports.writers import EXPORT_LANGUAGE, FORMATS, export_response
from nemid_cases import conditional
from nemid_cases.views import PermissionView

# Figures, not personal data: the browser may keep the page, and asks again
# with its ETag every time (a 304 when nothing it shows has changed).
REVALIDATE = "private, no-cache"
PRESETS = {value for value, _label in PERIOD_CHOICES} - {CUSTOM}


def _form(request: HttpRequest) -> DashboardFilterForm:
    data: QueryDict = request.GET.copy()
    if not data.get("period"):
        # Shown as chosen: a custom period when only dates were given.
        data["period"] = CUSTOM if (data.get("start") or data.get("end")) else DEFAULT_PERIOD
    today = local_day(timezone.now())
    if data["period"] in PRESETS:
        # A preset's dates fill the date fields, a start for a custom period.
        start, end = preset_range(data["period"], today)
        data["start"], data["end"] = start.isoformat(), end.isoformat()
    return DashboardFilterForm(data, user=request.user, today=today)


class DashboardView(PermissionView):
    permission_required = "dashboards.view_dashboard"
    template_name = "dashboards/overview.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = _form(request)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        scope = form.scope(now=timezone.now())
        dashboard = Dashboard(scope, request.user)
        version = dashboard.freshness()
        tag = conditional.digest(
            conditional.reader(request),
            conditional.page_chrome(request),
            scope.queue_ids,
            scope.today,
            version,
        )
        unchanged = conditional.not_modified(request, tag, cache_control=REVALIDATE)
        if unchanged is not None:
            return unchanged
        # Another reader of the scope may have read the same figures.
        entry = figure_cache.load(dashboard, version)
        tables = {slug: build() for slug, build in dashboard.table_builders().items()}
        query = urlencode(scope.query())
        for slug, table in tables.items():
            table.export_urls = {
                fmt: f"{reverse('dashboards:export', args=[slug, fmt])}?{query}" for fmt in FORMATS
            }
        context = {
            "form": form,
            "scope": scope,
            "dashboard": dashboard,
            # Template names cannot hold hyphens: actions-status -> actions_status.
            "tables": {slug.replace("-", "_"): table for slug, table in tables.items()},
            "charts": chart_specs(tables, bands=dashboard.incident_bands()),
        }
        response = render(request, self.template_name, context)
        # After rendering: the page may have read a figure the tables did not.
        figure_cache.save(dashboard, entry)
        return conditional.mark(response, tag, cache_control=REVALIDATE)


class DashboardExportView(PermissionView):
    """One dashboard table as CSV or XLSX, for the same period and queue."""

    permission_required = "dashboards.view_dashboard"

    def get(self, request: HttpRequest, slug: str, fmt: str) -> HttpResponseBase:
        form = _form(request)
        if not form.is_valid():
            lines = [_("The export was not made: the period or queue is not valid.")]
            lines += [f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()]
            return HttpResponseBadRequest(
                "\n".join(lines), content_type="text/plain; charset=utf-8"
            )
        scope = form.scope(now=timezone.now())
        # Not through the figures' cache: its key needs the validator's
        # aggregate, which costs more than the one table's own queries
        # (measured at 100k: 14-50 ms against 2-5 ms).
        with translation.override(EXPORT_LANGUAGE):
            build = Dashboard(scope, request.user).table_builders().get(slug)
            if build is None:
                raise Http404(_("No such table."))
            table = build()
            headers = [str(header) for header in table.headers]
            rows = table.export_rows()
            title = str(table.caption)
        return export_response(
            fmt,
            filename=f"dashboard-{slug}-{scope.start:%Y%m%d}-{scope.end:%Y%m%d}",
            headers=headers,
            rows=rows,
            title=title,
            widths=[36, *[14] * (len(headers) - 1)],
        )
