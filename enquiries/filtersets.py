"""One FilterSet per list, shared by the HTML list and the API."""

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from enquiries.cpr import CPR_ANYWHERE
from enquiries.models import Category, Channel, Enquiry, Queue, Topic


def _queues(request) -> QuerySet:
    if request is None:
        return Queue.objects.none()
    return Queue.objects.visible_to(request.user)


def _topics(request) -> QuerySet:
    return Topic.objects.filter(queue__in=_queues(request)).select_related("queue")


def _categories(request) -> QuerySet:
    return Category.objects.filter(topic__queue__in=_queues(request)).select_related("topic")


def _assignees(request) -> QuerySet:
    return User.objects.filter(is_active=True)


class EnquiryFilterSet(django_filters.FilterSet):
    """Filters for the enquiry list (page and API); all combine with AND."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    queue = django_filters.ModelChoiceFilter(
        label=_("Queue"), queryset=_queues, field_name="queue", to_field_name="code"
    )
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Enquiry.Status.choices)
    topic = django_filters.ModelChoiceFilter(label=_("Topic"), queryset=_topics)
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=_categories)
    priority = django_filters.MultipleChoiceFilter(
        label=_("Priority"), choices=Enquiry.Priority.choices
    )
    assignee = django_filters.ModelChoiceFilter(
        label=_("Assignee"), queryset=_assignees, null_label=_("Unassigned")
    )
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    received_after = django_filters.DateFilter(
        label=_("Received from"), field_name="received_at", lookup_expr="date__gte"
    )
    received_before = django_filters.DateFilter(
        label=_("Received to"), field_name="received_at", lookup_expr="date__lte"
    )
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")
    is_open = django_filters.BooleanFilter(label=_("Open"), method="filter_open")
    citizen = django_filters.NumberFilter(label=_("Citizen"), field_name="citizen_id")
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(
            ("received_at", "received"),
            ("priority", "priority"),
            ("resolution_due_at", "due"),
            ("status", "status"),
        ),
    )

    class Meta:
        model = Enquiry
        fields = ["q", "queue", "status", "topic", "category", "priority", "assignee"]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Reference, subject and description; CPR-shaped text is never searched."""
        return queryset.search(CPR_ANYWHERE.sub(" ", value))

    def filter_overdue(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        overdue = queryset.overdue(timezone.now())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_open(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        if value:
            return queryset.open()
        return queryset.filter(status__in=Enquiry.CLOSED_STATUSES)
