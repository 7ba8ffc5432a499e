"""FilterSets of the API lists that the HTML UI does not have.

The enquiry list uses the UI's EnquiryFilterSet; only its `ordering` is
dropped, because cursor pagination fixes the order (newest first).
"""

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from enquiries.cpr import CPR_ANYWHERE
from enquiries.filtersets import EnquiryFilterSet
from enquiries.models import Category, Citizen, Queue, Topic
from nemid_cases.api import YesNoFilter


def _queues(request) -> QuerySet:
    if request is None:
        return Queue.objects.none()
    return Queue.objects.visible_to(request.user)


def _topics(request) -> QuerySet:
    return Topic.objects.filter(queue__in=_queues(request))


class EnquiryApiFilterSet(EnquiryFilterSet):
    """The UI's filters; the order is the cursor pagination's."""

    ordering = None


class TopicFilterSet(django_filters.FilterSet):
    queue = django_filters.ModelChoiceFilter(
        label=_("Queue"), queryset=_queues, to_field_name="code", help_text=_("A queue code.")
    )
    is_active = YesNoFilter(label=_("Active"))

    class Meta:
        model = Topic
        fields = ["queue", "is_active"]


class CategoryFilterSet(django_filters.FilterSet):
    queue = django_filters.ModelChoiceFilter(
        label=_("Queue"),
        queryset=_queues,
        field_name="topic__queue",
        to_field_name="code",
        help_text=_("A queue code."),
    )
    topic = django_filters.ModelChoiceFilter(label=_("Topic"), queryset=_topics)
    is_active = YesNoFilter(
        label=_("Active"),
        method="filter_active",
        help_text=_("Active: the category and its topic are in use."),
    )
    q = django_filters.CharFilter(
        label=_("Search"), method="filter_text", max_length=100, help_text=_("Part of a name.")
    )

    class Meta:
        model = Category
        fields = ["queue", "topic", "is_active", "q"]

    def filter_active(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        active = queryset.active()
        return active if value else queryset.exclude(pk__in=active.values("pk"))

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name_da__icontains=value) | Q(name_en__icontains=value))


def _no_cpr(value: str) -> None:
    # A search parameter ends up in URLs and access logs.
    if CPR_ANYWHERE.search(value):
        raise ValidationError(
            _("Look up a CPR number with POST /api/v1/citizens/lookup/, never in a URL."),
            code="cpr",
        )


class CitizenFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=200,
        validators=[_no_cpr],
        help_text=_("A name or a phone number. Not a CPR number: use POST …/lookup/."),
    )

    class Meta:
        model = Citizen
        fields = ["q"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.matching(value) if value.strip() else queryset
