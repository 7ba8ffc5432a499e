"""One FilterSet per list, shared by the HTML lists and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enquiries.models import Queue, Topic
from nemid_cases.api import DayFilter, IdFilter, YesNoFilter
from stakeholders.models import (
    Contact,
    FollowUp,
    Meeting,
    Organisation,
    Recommendation,
    WorkingGroup,
)


def _organisations(request) -> QuerySet:
    if request is None:
        return Organisation.objects.none()
    return Organisation.objects.visible_to(request.user)


def _working_groups(request) -> QuerySet:
    if request is None:
        return WorkingGroup.objects.none()
    return WorkingGroup.objects.visible_to(request.user)


def _recommendation_makers(request) -> QuerySet:
    """Organisations whose recommendations the user may read."""
    if request is None:
        return Organisation.objects.none()
    visible = Recommendation.objects.visible_to(request.user)
    return Organisation.objects.filter(pk__in=visible.values("organisation_id"))


def _recommendation_meetings(request) -> QuerySet:
    if request is None:
        return Meeting.objects.none()
    visible = Recommendation.objects.visible_to(request.user)
    return Meeting.objects.filter(pk__in=visible.values("meeting_id"))


def _topics(request) -> QuerySet:
    if request is None:
        return Topic.objects.none()
    queues = Queue.objects.visible_to(request.user)
    return Topic.objects.filter(queue__in=queues).select_related("queue")


class TopicChoiceField(django_filters.fields.ModelChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return f"{obj.queue.name} › {obj.name}"


class TopicChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = TopicChoiceField


class OrganisationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=Organisation.Kind.choices)
    is_taskforce_member = YesNoFilter(label=_("Taskforce member"))

    class Meta:
        model = Organisation
        fields = ["q", "kind", "is_taskforce_member"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(name__icontains=value) | Q(short_name__icontains=value) | Q(code__icontains=value)
        )


class ContactFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"), queryset=_organisations
    )
    is_active = YesNoFilter(label=_("Active"))

    class Meta:
        model = Contact
        fields = ["q", "organisation", "is_active"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(name__icontains=value) | Q(title__icontains=value) | Q(email__icontains=value)
        )


class WorkingGroupFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    member = django_filters.ModelChoiceFilter(
        label=_("Member organisation"), queryset=_organisations, field_name="members"
    )

    class Meta:
        model = WorkingGroup
        fields = ["q", "member"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(purpose__icontains=value))


class MeetingFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation present"),
        queryset=_organisations,
        field_name="organisations",
        method="filter_organisation",
    )
    working_group = django_filters.ModelChoiceFilter(
        label=_("Working group"), queryset=_working_groups
    )
    held_after = DayFilter(label=_("Held from"), field_name="held_on", lookup_expr="gte")
    held_before = DayFilter(label=_("Held to"), field_name="held_on", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields = ["q", "organisation", "working_group"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(title__icontains=value)
            | Q(agenda__icontains=value)
            | Q(minutes__icontains=value)
            | Q(outcome__icontains=value)
        )

    def filter_organisation(self, queryset: QuerySet, name: str, value) -> QuerySet:
        # A subquery keeps one row per meeting.
        present = Meeting.organisations.through.objects.filter(organisation=value)
        return queryset.filter(pk__in=present.values("meeting_id"))


class RecommendationFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    organisation = django_filters.ModelChoiceFilter(
        label=_("Made by"), queryset=_recommendation_makers
    )
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"),
        choices=Recommendation.Status.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    meeting = django_filters.ModelChoiceFilter(
        label=_("Meeting"), queryset=_recommendation_meetings
    )
    in_writing = YesNoFilter(label=_("Made in writing"), field_name="meeting", lookup_expr="isnull")
    topic = TopicChoiceFilter(label=_("Topic"), queryset=_topics, method="filter_topic")
    has_open_actions = YesNoFilter(label=_("Has open actions"), method="filter_open_actions")

    class Meta:
        model = Recommendation
        fields = ["q", "organisation", "status", "meeting", "topic"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(
            Q(text__icontains=value) | Q(response__icontains=value) | Q(code__icontains=value)
        )

    def filter_topic(self, queryset: QuerySet, name: str, value: Topic) -> QuerySet:
        on_topic = Recommendation.topics.through.objects.filter(topic=value)
        return queryset.filter(pk__in=on_topic.values("recommendation_id"))

    def filter_open_actions(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        progress = queryset.with_action_progress()
        return (
            progress.filter(open_action_count__gt=0)
            if value
            else progress.filter(open_action_count=0)
        )


class FollowUpFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    is_open = YesNoFilter(label=_("Open"), method="filter_open")
    awaited_organisation = django_filters.ModelChoiceFilter(
        label=_("Waiting on"), queryset=_organisations
    )
    waiting_organisation = django_filters.ModelChoiceFilter(
        label=_("Who is waiting"), queryset=_organisations
    )
    overdue = YesNoFilter(label=_("Past expected date"), method="filter_overdue")
    meeting = IdFilter(label=_("Meeting"), field_name="meeting_id")
    recommendation = IdFilter(label=_("Recommendation"), field_name="recommendation_id")

    class Meta:
        model = FollowUp
        fields = ["q", "is_open", "awaited_organisation", "waiting_organisation"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(subject__icontains=value) | Q(notes__icontains=value))

    def filter_open(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        return queryset.filter(resolved_on__isnull=value)

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        overdue = Q(resolved_on__isnull=True, expected_on__lt=timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
