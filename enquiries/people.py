"""The people an enquiry can be given to: who is offered, found and named.

No page lists every member of staff (270 at the peak of autumn 2010):
pickers ask `GET /api/v1/people/` as the user types, and the forms check
what comes back with the same functions, so page, picker and API agree.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import ALL_QUEUE_ROLES
from enquiries.models import Enquiry, Queue

# Words of a search taken into account; more only narrow an already short list.
MAX_WORDS = 5


def person_label(user: User) -> str:
    """The name, username and team: unambiguous between namesakes.

    Reads `user.team`, so select_related("team") on lists.
    """
    details = [user.username]
    if user.team is not None:
        details.append(user.team.name)
    name = user.get_full_name()
    if not name:
        return f"{user.username} ({user.team.name})" if user.team is not None else user.username
    return f"{name} ({' · '.join(details)})"


def assignable_people(user: User, queue: Queue | None = None) -> QuerySet[User]:
    """Whom `user` may give enquiries to: for `queue`, or for any queue they see."""
    if queue is not None:
        return User.objects.assignable_for(queue).select_related("team")
    scope = Q(pk__in=[])
    for visible in Queue.objects.visible_to(user).select_related("team"):
        scope |= Q(pk__in=User.objects.assignable_for(visible).values("pk"))
    return User.objects.filter(scope).select_related("team")


def may_list_staff(user: User) -> bool:
    """Whether `user` may pick from every member of staff (oversight roles)."""
    return user.has_role(*ALL_QUEUE_ROLES)


def people_for(user: User, *, scope: str = "assignable") -> QuerySet[User]:
    """The people a picker offers `user`: assignable ones, or all staff."""
    if scope == "staff" and may_list_staff(user):
        return User.objects.filter(is_active=True).select_related("team")
    return assignable_people(user)


def search_people(people: QuerySet[User], text: str) -> QuerySet[User]:
    """People whose name, username or team contains every word of `text`."""
    for word in text.split()[:MAX_WORDS]:
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(team__name__icontains=word)
        )
    return people


def unassignable(assignee: User, enquiries: Iterable[Enquiry]) -> list[str]:
    """One message per enquiry whose queue may not be given to `assignee`."""
    refused = []
    allowed: dict[int, bool] = {}
    for enquiry in enquiries:
        queue = enquiry.queue
        if queue.pk not in allowed:
            allowed[queue.pk] = User.objects.assignable_for(queue).filter(pk=assignee.pk).exists()
        if not allowed[queue.pk]:
            refused.append(
                _("%(reference)s: %(user)s cannot be given enquiries of the queue %(queue)s.")
                % {"reference": enquiry.reference, "user": assignee, "queue": queue}
            )
    return refused
