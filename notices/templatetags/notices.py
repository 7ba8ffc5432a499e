from django import template

from notices.models import Service

register = template.Library()


@register.filter
def service_names(codes: list[str]) -> str:
    """The translated names of service codes, comma-separated."""
    labels = dict(Service.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes)
