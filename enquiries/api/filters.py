"""FilterSets of the API lists that the HTML UI does not have.

The enquiry list uses the UI's EnquiryFilterSet; only its `ordering` is
dropped, because cursor pagination fixes the order (newest first).
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from accounts.models import User
from enquiries.cpr import contains_cpr
from enquiries.filtersets import EnquiryFilterSet
from enquiries.models import Category, CategoryQuerySet, Citizen, CitizenQuerySet, Queue, Topic
from enquiries.people import may_list_staff, search_people
from nemid_cases.api import IdFilter, YesNoFilter

QUEUE_HELP = _("The queue's code, such as “support”, or its id.")
SCOPES = [("assignable", _("Who may be assigned")), ("staff", _("All active staff"))]


def _queues(request) -> QuerySet:
    if request is None:
        return Queue.objects.none()
    return Queue.objects.visible_to(request.user)


def _topics(request) -> QuerySet:
    return Topic.objects.filter(queue__in=_queues(request))


class QueueField(forms.ModelChoiceField):
    """A queue by code or by id: pickers on a page send the id."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        queue = self.queryset.filter(code=text).first()
        if queue is None and text.isascii() and text.isdigit() and len(text) <= 18:
            queue = self.queryset.filter(pk=int(text)).first()
        if queue is None:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text}
            )
        return queue


@extend_schema_field(OpenApiTypes.STR)
class QueueFilter(django_filters.ModelChoiceFilter):
    field_class = QueueField


def _no_cpr(value: str) -> None:
    # A search parameter ends up in URLs and access logs.
    if contains_cpr(value):
        raise ValidationError(
            _("Look up a CPR number with POST /api/v1/citizens/lookup/, never in a URL."),
            code="cpr",
        )


class EnquiryApiFilterSet(EnquiryFilterSet):
    """The UI's filters; the order is the cursor pagination's.

    `q` refuses a CPR number with a 400, as the citizens' list does: the
    page strips it after a warning, but an API client must be told.
    """

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        validators=[_no_cpr],
        help_text=_(
            "A reference, or words of the subject and description. Not a CPR number: "
            "find the citizen with POST …/citizens/lookup/."
        ),
    )
    ordering = None


class TopicFilterSet(django_filters.FilterSet):
    queue = QueueFilter(label=_("Queue"), queryset=_queues, help_text=QUEUE_HELP)
    is_active = YesNoFilter(label=_("Active"))

    class Meta:
        model = Topic
        fields = ["queue", "is_active"]


class CategoryFilterSet(django_filters.FilterSet):
    id = IdFilter(label=_("Id"), field_name="pk", help_text=_("One category, by id."))
    queue = QueueFilter(
        label=_("Queue"), queryset=_queues, field_name="topic__queue", help_text=QUEUE_HELP
    )
    topic = django_filters.ModelChoiceFilter(label=_("Topic"), queryset=_topics)
    is_active = YesNoFilter(
        label=_("Active"),
        method="filter_active",
        help_text=_("Active: the category and its topic are in use."),
    )
    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=100,
        help_text=_("Words of the category's or its topic's name, in any order."),
    )

    class Meta:
        model = Category
        fields = ["id", "queue", "topic", "is_active", "q"]

    def filter_active(self, queryset: CategoryQuerySet, name: str, value: bool) -> QuerySet:
        active = queryset.active()
        return active if value else queryset.exclude(pk__in=active.values("pk"))

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        for word in value.split()[:5]:
            queryset = queryset.filter(
                Q(name_da__icontains=word)
                | Q(name_en__icontains=word)
                | Q(topic__name_da__icontains=word)
                | Q(topic__name_en__icontains=word)
            )
        return queryset


class PersonFilterSet(django_filters.FilterSet):
    """Filters of the people picker; the view has already scoped the people."""

    q = django_filters.CharFilter(
        label=_("Search"),
        method="filter_text",
        max_length=100,
        help_text=_("Words of the name, the username (initials) or the team, in any order."),
    )
    queue = QueueFilter(
        label=_("Queue"),
        queryset=_queues,
        method="filter_queue",
        help_text=_(
            "Only the people who may be given this queue's enquiries: the queue's "
            "code, such as “support”, or its id."
        ),
    )
    id = IdFilter(label=_("Id"), field_name="pk", help_text=_("One person, by id."))
    scope = django_filters.ChoiceFilter(
        label=_("Scope"),
        choices=SCOPES,
        method="filter_scope",
        help_text=_(
            "“staff”: every active member of staff, for the roles that oversee every "
            "queue (say, to name who waits on a follow-up); others get a 400. "
            "Default: whom you may assign enquiries to."
        ),
    )

    class Meta:
        model = User
        fields = ["q", "queue", "id", "scope"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is None or not may_list_staff(user):
            # "staff" is then not a choice: a 400 naming `scope`, not a
            # quietly narrower list.
            scope = django_filters.ChoiceFilter(
                label=_("Scope"), choices=SCOPES[:1], method="filter_scope"
            )
            scope.parent, scope.model = self, User
            self.filters["scope"] = scope

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return search_people(queryset, value)

    def filter_queue(self, queryset: QuerySet, name: str, value: Queue) -> QuerySet:
        return queryset.filter(pk__in=User.objects.assignable_for(value).values("pk"))

    def filter_scope(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # The view starts from the scope's people (PersonViewSet.get_queryset).
        return queryset


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

    def filter_text(self, queryset: CitizenQuerySet, name: str, value: str) -> QuerySet:
        return queryset.matching(value) if value.strip() else queryset
