from django import template

from notices.models import Service

register = template.Library()


@register.filter
def service_names(codes: list[str]) -> str:
    """The translated names of service codes, comma-separated."""
    labels = dict(Service.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes)


@register.simple_tag
def draft_facts(draft) -> list[tuple[str, str, str]]:
    """(label, value, language) of what a draft would publish, as people
    read it: service and severity names, local dates in the page's format."""
    from datetime import datetime

    from django.utils import formats, timezone
    from django.utils.translation import gettext as _

    from notices.models import Incident

    labels = [
        ("title_da", _("Danish title"), "da"),
        ("title_en", _("English title"), "en"),
        ("services", _("Affected services"), ""),
        ("severity", _("Severity"), ""),
        ("started_at", _("Started"), ""),
        ("expected_end_at", _("Expected end"), ""),
        ("ended_at", _("Ended"), ""),
        ("code", _("Code"), ""),
        ("text_da", _("Danish text"), "da"),
        ("text_en", _("English text"), "en"),
        ("valid_from", _("valid from"), ""),
    ]
    severities = dict(Incident.Severity.choices)
    facts = []
    for key, label, language in labels:
        value = draft.payload.get(key)
        if not value:
            continue
        if key == "services":
            value = service_names(value)
        elif key == "severity":
            value = str(severities.get(value, value))
        elif key.endswith(("_at", "_from")):
            moment = timezone.localtime(datetime.fromisoformat(value))
            value = formats.date_format(moment, "SHORT_DATETIME_FORMAT")
        facts.append((label, value, language))
    return facts
