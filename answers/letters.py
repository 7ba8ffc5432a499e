"""A letter reply as a PDF for print (weasyprint, as reports.rendering)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from answers.models import Reply


def render_html(reply: Reply) -> str:
    # The letter is in the reply's language, whatever the agent's pages are.
    with translation.override(reply.language):
        return render_to_string("answers/letter.html", {"reply": reply})


def render_pdf(reply: Reply) -> bytes:
    """The letter on A4: the address window, date, reference, subject, text."""
    # weasyprint logs its progress at INFO and unsupported CSS at WARNING.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    # Imported here: weasyprint loads Pango on import, which only this needs.
    from weasyprint import HTML

    return HTML(string=render_html(reply), base_url=str(settings.BASE_DIR)).write_pdf()
