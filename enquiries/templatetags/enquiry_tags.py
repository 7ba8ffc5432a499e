"""Presentation of enquiries: badges, deadlines and list links."""

from django import template
from django.http import QueryDict
from django.utils.html import format_html

from enquiries.models import Enquiry

register = template.Library()

# Sort key -> the direction a first click sorts in.
SORT_FIRST = {"received": "-received", "priority": "-priority", "due": "due", "status": "status"}
DEFAULT_SORT = "-received"


@register.simple_tag
def status_badge(enquiry: Enquiry) -> str:
    return format_html(
        '<span class="badge badge--{}">{}</span>', enquiry.status, enquiry.get_status_display()
    )


@register.simple_tag
def priority_badge(enquiry: Enquiry) -> str:
    if enquiry.priority >= Enquiry.Priority.HIGH:
        return format_html(
            '<span class="badge badge--priority-{}">{}</span>',
            enquiry.priority,
            enquiry.get_priority_display(),
        )
    return format_html("<span>{}</span>", enquiry.get_priority_display())


def _with(query: str, **params: str) -> str:
    data = QueryDict(query, mutable=True)
    for name, value in params.items():
        data[name] = value
    return "?" + data.urlencode()


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str) -> str:
    """A column header that sorts the list, saying which way it is sorted."""
    current = context.get("sort") or DEFAULT_SORT
    if current.lstrip("-") == key:
        ascending = not current.startswith("-")
        target = key if not ascending else f"-{key}"
        return format_html(
            '<th scope="col" aria-sort="{}"><a href="{}">{} '
            '<span aria-hidden="true">{}</span></a></th>',
            "ascending" if ascending else "descending",
            _with(context["query"], ordering=target),
            label,
            "▲" if ascending else "▼",
        )
    return format_html(
        '<th scope="col"><a href="{}">{}</a></th>',
        _with(context["query"], ordering=SORT_FIRST[key]),
        label,
    )


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    """The list's page `number`, counting as exactly as this page does."""
    return _with(context.get("page_query", context["query"]), page=str(number))


@register.simple_tag
def sorted_column(sorting, key: str, label: str, css_class: str = "") -> str:
    """A header that sorts the list by its column (enquiries.sorting.Sorting)."""
    direction = sorting.aria_sort(key)
    class_attr = format_html(' class="{}"', css_class) if css_class else ""
    if direction is None:
        return format_html(
            '<th scope="col"{}><a href="{}">{}</a></th>', class_attr, sorting.url(key), label
        )
    return format_html(
        '<th scope="col" aria-sort="{}"{}><a href="{}">{} <span aria-hidden="true">{}</span>'
        "</a></th>",
        direction,
        class_attr,
        sorting.url(key),
        label,
        "▲" if direction == "ascending" else "▼",
    )


@register.filter
def page_link(sorting, number: int) -> str:
    """The address of page `number`, keeping the sort and the search."""
    return sorting.page_url(number)
