"""The report as an HTML document, a PDF (weasyprint) or plain text."""

from __future__ import annotations

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from reports import wording
from reports.formatting import da_int, da_percent
from reports.user_analysis import UserAnalysis

FORMATS = ("html", "pdf", "text")


def document_context(report: UserAnalysis) -> dict:
    return {"report": report, "title": wording.TITLE, "subtitle": wording.SUBTITLE}


def render_html(report: UserAnalysis) -> str:
    """A standalone Danish HTML document (styles inline, print-ready)."""
    with translation.override("da"):
        return render_to_string("reports/user_analysis_document.html", document_context(report))


def render_pdf(report: UserAnalysis) -> bytes:
    """The same document as a PDF (A4, page numbers "Side n/m")."""
    # weasyprint logs its progress at INFO, from its import on, and every
    # CSS property it does not support at WARNING: only errors matter here.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    # Imported here: weasyprint loads Pango on import, which only this needs.
    from weasyprint import HTML

    return HTML(string=render_html(report), base_url=str(settings.BASE_DIR)).write_pdf()


def _table(rows: list[tuple[str, str]], headings: tuple[str, str]) -> list[str]:
    width = max(len(cell) for cell, _value in [headings, *rows])
    return [f"  {cell.ljust(width)}  {value}" for cell, value in [headings, *rows]]


def render_text(report: UserAnalysis) -> str:
    """The figures for a terminal: totals and both kinds of topic tables."""
    lines = [f"{wording.TITLE}: {report.period}", "", report.grand_total_sentence, ""]
    for section in report.sections:
        lines += [section.heading, "", section.intro, ""]
        if section.top:
            rows = [(row.name, row.share_text) for row in section.top]
            lines += _table(rows, wording.TABLE_HEADINGS)
            lines.append("")
        lines += [section.basis_note, ""]
    if report.surveys:
        lines += ["Brugernes tilfredshed", ""]
        for survey in report.surveys:
            lines.append(
                f"  {survey.source}: {da_int(survey.respondents)} respondenter, "
                f"{da_percent(survey.share_satisfied)} tilfredse"
            )
        lines.append("")
    return "\n".join(lines)
