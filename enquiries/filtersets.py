"""One FilterSet per list, shared by the HTML list and the API."""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from enquiries.cpr import strip_cpr
from enquiries.fields import CategoryField, PersonField
from enquiries.models import Category, Channel, Citizen, Enquiry, EnquiryEvent, Queue, Topic
from nemid_cases.api import DayFilter, YesNoFilter

# `?count=exact`: the enquiry list counts every match instead of up to a
# limit; a dashboard figure's link asks for it (dashboards.scope).
EXACT_COUNT = "exact"


def _queues(request) -> QuerySet:
    if request is None:
        return Queue.objects.none()
    return Queue.objects.visible_to(request.user)


def _topics(request) -> QuerySet:
    return Topic.objects.filter(queue__in=_queues(request)).select_related("queue")


def _categories(request) -> QuerySet:
    return Category.objects.filter(topic__queue__in=_queues(request)).select_related("topic__queue")


def _citizens(request) -> QuerySet:
    if request is None:
        return Citizen.objects.none()
    return Citizen.objects.visible_to(request.user)


def _assignees(request) -> QuerySet:
    return User.objects.filter(is_active=True)


def _day_start(day: datetime.date) -> datetime.datetime:
    """The first moment of a local day (the site's time zone)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


ESCALATION_CHOICES = [
    ("1", _("Level 1 (team lead)")),
    ("2", _("Level 2 (queue manager)")),
]


CITIZEN_FILTER_REFUSED = _(
    "Your role may not see citizens, so enquiries cannot be filtered by citizen."
)


class RefusedField(forms.CharField):
    """Empty, or an error: for a filter the user's role may not use."""

    default_error_messages = {"refused": CITIZEN_FILTER_REFUSED}

    def validate(self, value) -> None:
        super().validate(value)
        if value not in self.empty_values:
            raise ValidationError(self.error_messages["refused"], code="refused")


class RefusedFilter(django_filters.CharFilter):
    """Takes the place of a filter the role may not use: a value is an error.

    Quietly dropping the filter would answer with more rows than were asked
    for, and a client (or a person) would take them for the filtered list.
    """

    field_class = RefusedField

    def filter(self, qs: QuerySet, value) -> QuerySet:
        return qs


class EnquiryFilterSet(django_filters.FilterSet):
    """Filters for the enquiry list (page and API); all combine with AND."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_text")
    queue = django_filters.ModelChoiceFilter(
        label=_("Queue"), queryset=_queues, field_name="queue", to_field_name="code"
    )
    # distinct=False: a column of the row itself never repeats a row, and
    # DISTINCT over every column is what made large lists slow.
    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=Enquiry.Status.choices, distinct=False
    )
    topic = django_filters.ModelChoiceFilter(
        label=_("Topic"), queryset=_topics, null_label=_("Not yet classified")
    )
    # The dashboard's per-mention basis counts an enquiry once for each topic
    # it raises, so its figure for a topic is the enquiries that raise it.
    mentions = django_filters.ModelChoiceFilter(
        label=_("Topic raised"),
        queryset=_topics,
        method="filter_mentions",
        help_text=_("Enquiries that raise this topic, as their topic or as a further topic."),
    )
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=_categories)
    priority = django_filters.MultipleChoiceFilter(
        label=_("Priority"), choices=Enquiry.Priority.choices, distinct=False
    )
    assignee = django_filters.ModelChoiceFilter(
        label=_("Assignee"), queryset=_assignees, null_label=_("Unassigned")
    )
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=Channel.choices)
    # Local days as a range of moments, so the index on received_at serves
    # them (a date of each row cannot use it, and an exact count scans).
    received_after = DayFilter(label=_("Received from"), method="filter_received")
    received_before = DayFilter(label=_("Received to"), method="filter_received")
    overdue = YesNoFilter(label=_("Overdue"), method="filter_overdue")
    is_open = YesNoFilter(label=_("Open"), method="filter_open")
    escalated = django_filters.ChoiceFilter(
        label=_("Escalated to"),
        choices=ESCALATION_CHOICES,
        method="filter_escalated",
        help_text=_("Enquiries escalated to this level at any time, as the timeline shows."),
    )
    # Only for roles that see citizens (refused in __init__ for the others).
    citizen = django_filters.ModelChoiceFilter(
        label=_("Citizen"),
        queryset=_citizens,
        help_text=_(
            "A citizen's id, for roles that may see citizens; other roles get a 400 naming it."
        ),
    )
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self.request, "user", None)
        if user is None or not user.has_perm("enquiries.view_citizen"):
            # Secretariat and managers do not list a citizen's enquiries.
            refused = RefusedFilter(label=_("Citizen"))
            refused.parent, refused.model = self, self.queryset.model
            self.filters["citizen"] = refused

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Reference, subject and description; CPR-shaped text is never searched."""
        return queryset.search(strip_cpr(value))

    # django-filter calls a method only with a value, so `value` is a bool
    # (typed, so the API schema documents a boolean).
    def filter_overdue(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        overdue = queryset.overdue(timezone.now())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))

    def filter_received(self, queryset: QuerySet, name: str, value: datetime.date) -> QuerySet:
        if name == "received_after":
            return queryset.filter(received_at__gte=_day_start(value))
        return queryset.filter(received_at__lt=_day_start(value + datetime.timedelta(days=1)))

    def filter_mentions(self, queryset: QuerySet, name: str, value: Topic) -> QuerySet:
        further = Enquiry.additional_topics.through.objects.filter(
            enquiry=OuterRef("pk"), topic=value
        )
        return queryset.filter(Q(topic=value) | Exists(further))

    def filter_escalated(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        # From the timeline, not the current level: reopening resets that,
        # and the dashboard counts the escalations that happened.
        escalations = EnquiryEvent.objects.filter(
            enquiry=OuterRef("pk"), kind=EnquiryEvent.Kind.ESCALATED, new_value=value
        )
        return queryset.filter(Exists(escalations))

    def filter_open(self, queryset: QuerySet, name: str, value: bool) -> QuerySet:
        if value:
            return queryset.open()
        return queryset.filter(status__in=Enquiry.CLOSED_STATUSES)


ORDERING_CHOICES = [
    ("-received", _("Newest first")),
    ("received", _("Oldest first")),
    ("-priority", _("Highest priority first")),
    ("due", _("Earliest deadline first")),
    ("status", _("Status")),
]


class EnquiryPageFilterSet(EnquiryFilterSet):
    """The same filters for the HTML list, with widgets made for people.

    Only the widgets and labels differ, so the page and the API cannot
    filter differently. A sort always ends on the id, so pages are stable.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        date = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        widgets = {
            "q": forms.TextInput(attrs={"type": "search"}),
            "status": forms.CheckboxSelectMultiple,
            "priority": forms.CheckboxSelectMultiple,
            "received_after": date,
            "received_before": date,
            "citizen": forms.HiddenInput,
        }
        for name, widget in widgets.items():
            if name in self.filters:
                self.filters[name].extra["widget"] = widget
        for name in ("queue", "topic", "mentions", "category", "assignee", "channel", "escalated"):
            self.filters[name].extra["empty_label"] = _("Any")
        self.filters["ordering"].extra["choices"] = ORDERING_CHOICES
        self.filters["ordering"].extra["empty_label"] = None

    @property
    def form(self):
        form = super().form
        if getattr(form, "has_page_labels", False):
            return form
        form.has_page_labels = True
        # Assignee and category are typed or picked (every member of staff,
        # every category: never rendered as options); the rest are short.
        assignee, category = form.fields["assignee"], form.fields["category"]
        form.fields["assignee"] = PersonField(
            assignee.queryset.select_related("team"),
            label=assignee.label,
            required=False,
            placeholder=_("Any"),
            static_choices=[(self.filters["assignee"].null_value, _("Unassigned"))],
            help_text="",
        )
        form.fields["category"] = CategoryField(
            category.queryset,
            label=category.label,
            required=False,
            placeholder=_("Any"),
            params={"queue": f"#{form['queue'].auto_id}"},
            help_text="",
        )
        # One query, so options can name the queue where names would clash.
        several = _queues(self.request).count() > 1
        form.fields["category"].set_several_queues(several)
        if several:
            for name in ("topic", "mentions"):
                form.fields[name].label_from_instance = lambda t: f"{t.queue.name}: {t.name}"
        return form

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        ordering = list(queryset.query.order_by or Enquiry._meta.ordering)
        if not {"id", "-id"} & set(ordering):
            # The id goes the way of the first key, so one index of
            # (key, id) read forwards or backwards serves either direction
            # (enquiry_received, enquiry_priority, ...): a mixed direction
            # sorted the reader's whole scope (0.6 s at 1M).
            first = ordering[0] if ordering else "-"
            descending = getattr(first, "descending", str(first).startswith("-"))
            ordering.append("-id" if descending else "id")
        return queryset.order_by(*ordering)
