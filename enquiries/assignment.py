"""Who receives work: automatic assignment's choice, a rebalance's plan.

Reads only; the writes (`auto_assign_enquiry`, `rebalance_team`) are
services in enquiries/services.py.

An available agent is a member of the queue's team who is active, not
marked absent and may change enquiries. The next enquiry goes to the one
with the fewest open enquiries; among equals, to the one whose last
automatic assignment is oldest (round robin). The team row is locked while
choosing, so concurrent intake cannot pile onto one agent.
"""

from __future__ import annotations

import heapq

from django.db.models import (
    BooleanField,
    Count,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from accounts.models import Team, User, holders_of
from accounts.roles import Role
from enquiries.models import Enquiry, Queue

# Work that nobody has started yet may be moved between agents.
MOVABLE_STATUSES = (Enquiry.Status.NEW, Enquiry.Status.TRIAGED)


def available_agents(team_id: int) -> QuerySet[User]:
    """The team's agents who may receive work, least loaded first.

    Annotated with `open_count` and `last_assigned_at`; one query.
    """
    return (
        # Members only: a lead who is not one is not dealt work.
        User.objects.filter(
            holders_of("enquiries", "change_enquiry"),
            team_id=team_id,
            is_active=True,
            is_absent=False,
        )
        .annotate(
            open_count=Count(
                "assigned_enquiries",
                filter=~Q(assigned_enquiries__status__in=Enquiry.CLOSED_STATUSES),
            ),
            last_assigned_at=F("assignment_turn__last_assigned_at"),
        )
        .order_by("open_count", F("last_assigned_at").asc(nulls_first=True), "pk")
    )


def lock_team(team_id: int) -> None:
    # FOR NO KEY UPDATE does not block inserts that merely reference the team.
    list(Team.objects.select_for_update(no_key=True).filter(pk=team_id).values_list("pk"))


def next_agent(queue: Queue) -> User | None:
    """Who gets the queue's next enquiry automatically, or None.

    Call inside a transaction holding `lock_team(queue.team_id)`.
    """
    return (
        available_agents(queue.team_id)
        .filter(pk__in=User.objects.assignable_for(queue).values("pk"))
        .first()
    )


def may_rebalance(user: User, team: Team) -> bool:
    if not user.has_perm("enquiries.bulk_triage_enquiry"):
        return False
    return user.has_role(Role.ADMINISTRATOR) or user.scope_teams().filter(pk=team.pk).exists()


def plan_rebalance(team: Team) -> list[tuple[int, int]]:
    """Which not-yet-started enquiries go to whom: [(enquiry id, agent id)].

    Unassigned work and work held by unavailable people goes to the least
    loaded agent, oldest first; then the newest unstarted work of the most
    loaded agent holding some moves to the least loaded, until their loads
    differ by at most one.
    """
    agents = list(available_agents(team.pk))
    if not agents:
        return []
    load = {agent.pk: agent.open_count for agent in agents}
    heap = [(agent.open_count, rank, agent.pk) for rank, agent in enumerate(agents)]
    heapq.heapify(heap)
    movable = list(
        Enquiry.objects.filter(queue__team=team, status__in=MOVABLE_STATUSES)
        .order_by("received_at", "pk")
        .values_list("pk", "assignee_id")
    )
    plan: list[tuple[int, int]] = []
    held: dict[int, list[int]] = {pk: [] for pk in load}

    def give() -> int:
        count, rank, agent_id = heapq.heappop(heap)
        heapq.heappush(heap, (count + 1, rank, agent_id))
        load[agent_id] += 1
        return agent_id

    for enquiry_id, assignee_id in movable:
        if assignee_id in load:
            held[assignee_id].append(enquiry_id)
        else:
            plan.append((enquiry_id, give()))
    while True:
        # Only unstarted work moves: the busiest agent that holds some.
        holders = [pk for pk in load if held[pk]]
        if not holders:
            break
        busiest = max(holders, key=lambda pk: (load[pk], -pk))
        least = min(load, key=lambda pk: (load[pk], pk))
        if load[busiest] - load[least] <= 1:
            break
        enquiry_id = held[busiest].pop()
        load[busiest] -= 1
        load[least] += 1
        plan.append((enquiry_id, least))
    return plan


def team_workload(teams: QuerySet[Team]) -> list[dict]:
    """Per team: how many active members, and its open work nobody holds."""
    teams = list(teams)
    team_ids = [team.pk for team in teams]
    members = dict(
        User.objects.filter(team_id__in=team_ids, is_active=True)
        .values("team_id")
        .annotate(n=Count("pk"))
        .values_list("team_id", "n")
        .order_by()
    )
    unassigned = dict(
        Enquiry.objects.open()
        .filter(queue__team_id__in=team_ids, assignee__isnull=True)
        .values("queue__team_id")
        .annotate(n=Count("pk"))
        .values_list("queue__team_id", "n")
        .order_by()
    )
    return [
        {
            "team": team,
            "member_count": members.get(team.pk, 0),
            "unassigned": unassigned.get(team.pk, 0),
        }
        for team in teams
    ]


def member_workload(teams: QuerySet[Team]) -> QuerySet[User]:
    """The active members of `teams`, each with `open_count` and `is_agent`.

    The open count is a subquery per member (the assignee-status index), not
    a join, so counting the members for a page costs no enquiries.
    """
    open_count = (
        Enquiry.objects.open()
        .filter(assignee=OuterRef("pk"))
        .order_by()
        .values("assignee")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        User.objects.filter(team__in=teams, is_active=True)
        .select_related("team")
        .annotate(
            open_count=Coalesce(Subquery(open_count), 0),
            is_agent=ExpressionWrapper(
                holders_of("enquiries", "change_enquiry"), output_field=BooleanField()
            ),
        )
    )
