"""The type-ahead fields of the enquiry pages: people and categories.

Both are typed or picked from the API as one types (nemid_cases.widgets);
the queryset a form gives them says what may be chosen.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from enquiries.cpr import strip_cpr
from enquiries.models import Category
from enquiries.people import person_label, search_people
from nemid_cases.widgets import TypeaheadChoiceField


class PersonField(TypeaheadChoiceField):
    """A member of staff, typed or picked from GET /api/v1/people/.

    The queryset says who may be chosen; the picker offers the same people
    (the API scopes them alike), by name, username or team.
    """

    default_error_messages = {
        "not_found": _(
            "No one called “%(text)s” can be chosen here. Type part of the name, the "
            "username or the team, and choose from the list."
        ),
        "ambiguous": _(
            "“%(text)s” fits several people: %(names)s. Choose one from the list, or "
            "type the username."
        ),
    }

    def __init__(self, queryset: QuerySet[User] | None = None, **kwargs):
        kwargs.setdefault("source", reverse_lazy("api:person-list"))
        kwargs.setdefault(
            "messages",
            {
                "results": _("{count} people match: choose with the arrow keys and Enter."),
                "one": _("1 person matches: press Enter to choose."),
                "none": _("No one matches. Type part of a name, a username or a team."),
            },
        )
        kwargs.setdefault(
            "help_text", _("Type part of the name, the username or the team, then choose.")
        )
        super().__init__(User.objects.none() if queryset is None else queryset, **kwargs)

    def label_from_instance(self, obj: User) -> str:
        return person_label(obj)

    def key_of(self, obj: User) -> str:
        return obj.username

    def clean_text(self, text: str) -> str:
        return strip_cpr(text)

    def exact(self, queryset: QuerySet, text: str) -> QuerySet:
        return queryset.filter(username__iexact=text)

    def search(self, queryset: QuerySet, text: str) -> QuerySet:
        return search_people(queryset, text)


class CategoryField(TypeaheadChoiceField):
    """A category typed or picked from GET /api/v1/categories/.

    Named by topic and name (and queue, when several).
    """

    with_queue = False
    default_error_messages = {
        "not_found": _("No category is called “%(text)s”. Choose one from the list."),
        "ambiguous": _("“%(text)s” fits several categories: %(names)s. Choose one from the list."),
    }

    def __init__(self, queryset: QuerySet[Category] | None = None, **kwargs):
        kwargs.setdefault("source", reverse_lazy("api:category-list"))
        kwargs.setdefault("params", {"is_active": "true"})
        kwargs.setdefault(
            "messages",
            {
                "results": _("{count} categories match"),
                "one": _("1 category matches"),
                "none": _("No category matches"),
            },
        )
        kwargs.setdefault(
            "help_text", _("Type part of the name, then choose with the arrow keys and Enter.")
        )
        super().__init__(Category.objects.none() if queryset is None else queryset, **kwargs)

    def set_several_queues(self, several: bool) -> None:
        self.with_queue = several
        self.widget.label_key = "full_label" if several else "label"

    def label_from_instance(self, obj: Category) -> str:
        if self.with_queue:
            return f"{obj.topic.queue.name}: {obj.label}"
        return obj.label

    def clean_text(self, text: str) -> str:
        return strip_cpr(text)

    def exact(self, queryset: QuerySet, text: str) -> QuerySet:
        *context, name = (part.strip() for part in text.split("›"))
        rows = queryset.filter(Q(name_da__iexact=name) | Q(name_en__iexact=name))
        if context:
            queue, _colon, topic = context[-1].rpartition(":")
            topic = topic.strip()
            rows = rows.filter(Q(topic__name_da__iexact=topic) | Q(topic__name_en__iexact=topic))
            if queue.strip():
                rows = rows.filter(
                    Q(topic__queue__name_da__iexact=queue.strip())
                    | Q(topic__queue__name_en__iexact=queue.strip())
                )
        return rows

    def search(self, queryset: QuerySet, text: str) -> QuerySet:
        for word in text.replace("›", " ").replace(":", " ").split()[:5]:
            queryset = queryset.filter(
                Q(name_da__icontains=word)
                | Q(name_en__icontains=word)
                | Q(topic__name_da__icontains=word)
                | Q(topic__name_en__icontains=word)
            )
        return queryset
