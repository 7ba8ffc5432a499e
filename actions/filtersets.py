"""One FilterSet for the action lists, shared by the HTML pages and the API."""

from __future__ import annotations

import datetime

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from actions.due import Due, parse_due
from actions.models import FOLLOW_UP_DAYS, Action, Theme
from nemid_cases.api import DayFilter, IdFilter, YesNoFilter
from stakeholders.models import Organisation


class DuePhraseField(forms.CharField):
    """A due phrase ("primo 2011") read into its range; invalid ones are errors."""

    def clean(self, value: str | None) -> Due | None:
        value = super().clean(value)
        if not value:
            return None
        return parse_due(value)


class DuePhraseFilter(django_filters.CharFilter):
    field_class = DuePhraseField


ORIGIN_CHOICES = [
    ("recommendation", _("A recommendation")),
    ("meeting", _("A meeting")),
    ("topic", _("An enquiry topic")),
    ("category", _("An enquiry category")),
    ("action", _("Another action")),
]
ORDERING_CHOICES = [
    ("due", _("Due, earliest first")),
    ("-due", _("Due, latest first")),
    ("title", _("Title")),
    ("owner", _("Owner")),
    ("status", _("Status")),
    ("-updated", _("Recently changed")),
]


def _owners(request) -> QuerySet:
    """Organisations that own an action the user can see."""
    if request is None:
        return Organisation.objects.none()
    visible = Action.objects.visible_to(request.user)
    return Organisation.objects.filter(
        Exists(visible.filter(owner_id=OuterRef("pk")).values("pk"))
    ).order_by("name")


class ActionFilterSet(django_filters.FilterSet):
    """Filters for the action lists (pages and API); all combine with AND.

    `due` takes a due phrase and keeps actions whose due date ends inside
    its range; `due_after`/`due_before` bound the end date directly.
    """

    q = django_filters.CharFilter(label=_("Search"), method="filter_text", max_length=200)
    owner = django_filters.ModelChoiceFilter(
        label=_("Owner"), queryset=_owners, to_field_name="code"
    )
    theme = django_filters.ModelChoiceFilter(
        label=_("Theme"), queryset=Theme.objects.all(), to_field_name="code"
    )
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Action.Status.choices)
    due = DuePhraseFilter(
        label=_("Due within"),
        method="filter_due",
        max_length=100,
        help_text=_("A due phrase, e.g. “primo 2011” or “uge 47 2010”."),
    )
    due_after = DayFilter(label=_("Due by, from"), field_name="due_end", lookup_expr="gte")
    due_before = DayFilter(label=_("Due by, to"), field_name="due_end", lookup_expr="lte")
    overdue = YesNoFilter(label=_("Overdue"), method="filter_overdue")
    is_open = YesNoFilter(label=_("Open"), method="filter_open")
    asap = YesNoFilter(label=_("As soon as possible"), method="filter_asap")
    due_for_follow_up = YesNoFilter(
        label=_("Due for follow-up"),
        method="filter_follow_up",
        help_text=format_lazy(
            _("Open, and overdue, due within {days} days or due as soon as possible."),
            days=FOLLOW_UP_DAYS,
        ),
    )
    origin = django_filters.ChoiceFilter(
        label=_("Origin"), choices=ORIGIN_CHOICES, method="filter_origin"
    )
    recommendation = IdFilter(
        label=_("From recommendation"), field_name="origin_recommendations", method="filter_link"
    )
    meeting = IdFilter(label=_("From meeting"), field_name="origin_meetings", method="filter_link")
    topic = IdFilter(
        label=_("From enquiry topic"), field_name="origin_topics", method="filter_link"
    )
    category = IdFilter(
        label=_("From enquiry category"), field_name="origin_categories", method="filter_link"
    )
    follows_up = IdFilter(label=_("Follows up on"), field_name="follows_up_id")
    ordering = django_filters.ChoiceFilter(
        label=_("Sort by"), choices=ORDERING_CHOICES, method="filter_ordering", empty_label=None
    )

    class Meta:
        model = Action
        fields = ["q", "owner", "theme", "status"]

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or timezone.localdate()

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(description__icontains=value) | Q(code=value)
        )

    def filter_due(self, queryset: QuerySet, name: str, value: Due | None) -> QuerySet:
        if value is None or value.end is None:
            if value is not None and value.is_asap:
                return queryset.filter(due_precision=Action.DuePrecision.ASAP)
            return queryset
        return queryset.filter(due_end__gte=value.start, due_end__lte=value.end)

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        overdue = Action.objects.overdue(self.today)
        return (
            queryset.filter(pk__in=overdue.values("pk"))
            if value
            else queryset.exclude(pk__in=overdue.values("pk"))
        )

    def filter_follow_up(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        due = Action.objects.due_for_follow_up(self.today).values("pk")
        return queryset.filter(pk__in=due) if value else queryset.exclude(pk__in=due)

    def filter_open(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if value:
            return queryset.exclude(status__in=Action.FINISHED_STATUSES)
        return queryset.filter(status__in=Action.FINISHED_STATUSES)

    def filter_asap(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        asap = Action.DuePrecision.ASAP
        return (
            queryset.filter(due_precision=asap) if value else queryset.exclude(due_precision=asap)
        )

    def filter_origin(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "action":
            return queryset.filter(follows_up__isnull=False)
        through = {
            "recommendation": Action.origin_recommendations.through,
            "meeting": Action.origin_meetings.through,
            "topic": Action.origin_topics.through,
            "category": Action.origin_categories.through,
        }.get(value)
        if through is None:
            return queryset
        # EXISTS rather than a join, so an action with two topics shows once.
        return queryset.filter(Exists(through._default_manager.filter(action_id=OuterRef("pk"))))

    def filter_link(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        through = getattr(Action, name).through
        target = {
            "origin_recommendations": "recommendation_id",
            "origin_meetings": "meeting_id",
            "origin_topics": "topic_id",
            "origin_categories": "category_id",
        }[name]
        links = through.objects.filter(action_id=OuterRef("pk"), **{target: value})
        return queryset.filter(Exists(links))

    def filter_ordering(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        orders: dict[str, list[str | OrderBy]] = {
            "due": [F("due_end").asc(nulls_last=True), "title", "id"],
            "-due": [F("due_end").desc(nulls_last=True), "title", "id"],
            "title": ["title", "id"],
            "owner": ["owner__name", F("due_end").asc(nulls_last=True), "id"],
            "status": ["status", F("due_end").asc(nulls_last=True), "id"],
            "-updated": ["-updated_at", "-id"],
        }
        return queryset.order_by(*orders.get(value, orders["due"]))


class ThemeFilterSet(django_filters.FilterSet):
    is_active = YesNoFilter(label=_("Active"))

    class Meta:
        model = Theme
        fields = ["is_active"]
