"""Filters of the rating list (API) and its summary."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from enquiries.models import Queue
from feedback.models import EnquiryRating
from nemid_cases.api import DayFilter

# A date picker on the satisfaction page; the API reads the same ISO dates.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _queues(request) -> QuerySet:
    if request is None:
        return Queue.objects.none()
    return Queue.objects.visible_to(request.user)


class RatingFilterSet(django_filters.FilterSet):
    queue = django_filters.ModelChoiceFilter(
        label=_("Queue"),
        queryset=_queues,
        field_name="enquiry__queue",
        to_field_name="code",
        help_text=_("The queue's code, such as “support”."),
    )
    source = django_filters.ChoiceFilter(label=_("Source"), choices=EnquiryRating.Source.choices)
    # "Any" first: a page's select must be able to leave the score open.
    score = django_filters.TypedChoiceFilter(
        label=_("Rating"),
        choices=[("", _("Any")), *((s, s) for s in EnquiryRating.SCORES)],
        coerce=int,
        empty_value=None,
    )
    recorded_from = DayFilter(
        label=_("Recorded on or after"),
        field_name="recorded_at",
        lookup_expr="date__gte",
        widget=DATE_INPUT,
    )
    recorded_to = DayFilter(
        label=_("Recorded on or before"),
        field_name="recorded_at",
        lookup_expr="date__lte",
        widget=DATE_INPUT,
    )

    class Meta:
        model = EnquiryRating
        fields = ["queue", "source", "score", "recorded_from", "recorded_to"]


class RatingPageFilterSet(RatingFilterSet):
    """The same filters on the satisfaction page, where queues are chosen by name.

    The API's help (codes, formats) means nothing beside a select.
    """

    @property
    def form(self):
        form = super().form
        for field in form.fields.values():
            field.help_text = ""
        return form
