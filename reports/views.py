"""The report from data: a page with a period chooser, and its downloads."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode

from nemid_cases.views import PermissionView
from reports import rendering
from reports.forms import PeriodForm
from reports.user_analysis import build_user_analysis

CONTENT_TYPES = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


class ReportView(PermissionView):
    """The user-analysis section for the chosen period, with HTML and PDF links."""

    permission_required = "reports.view_report"
    template_name = "reports/user_analysis_page.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = PeriodForm.from_query(request.GET)
        context: dict[str, Any] = {"form": form, "report": None}
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
            query = urlencode({"start": start.isoformat(), "end": end.isoformat()})
            context |= {
                "report": build_user_analysis(start, end),
                "downloads": {
                    fmt: f"{reverse('reports:download', args=[fmt])}?{query}"
                    for fmt in CONTENT_TYPES
                },
            }
        return render(request, self.template_name, context)


class ReportDownloadView(PermissionView):
    """The report as a file: `html` or `pdf`."""

    permission_required = "reports.view_report"

    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        form = PeriodForm.from_query(request.GET)
        if not form.is_valid():
            context = {"form": form, "report": None}
            return render(request, ReportView.template_name, context, status=400)
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        report = build_user_analysis(start, end)
        if fmt == "pdf":
            body: bytes | str = rendering.render_pdf(report)
        else:
            body = rendering.render_html(report)
        response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
        filename = f"brugeranalyse-{start.isoformat()}-{end.isoformat()}.{fmt}"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
