"""Demo teams and users for a local installation (never for production).

The teams and users are in seed/data/demo_desk.json. No service creates
users or teams (the admin does), so they are written directly.
"""

from django.contrib.auth.models import Group
from django.db import transaction

from accounts.models import Team, User
from accounts.roles import Role
from enquiries.models import Queue
from seed.files import read

_DATA = read("demo_desk.json")
# username, first name, last name, role, team
DEMO_USERS = [
    (user["username"], user["first_name"], user["last_name"], Role(user["role"]), user["team"])
    for user in _DATA["users"]
]
TEAM_QUEUES: dict[str, list[str]] = _DATA["teams"]


def demo_password(username: str) -> str:
    return f"demo-{username}-2010"


@transaction.atomic
def create_demo_users() -> list[tuple[str, str, str]]:
    """Create the demo teams and users if missing; return (user, role, password)."""
    teams = {name: Team.objects.get_or_create(name=name)[0] for name in TEAM_QUEUES}
    created = []
    for username, first, last, role, team_name in DEMO_USERS:
        user, is_new = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@nemid-cases.invalid",
                "team": teams.get(team_name),
                "is_staff": role == Role.ADMINISTRATOR,
            },
        )
        if is_new:
            user.set_password(demo_password(username))
            user.save()
            user.groups.add(Group.objects.get(name=role.value))
        created.append((username, str(role.label), demo_password(username)))
    lead = User.objects.get(username="teamlead")
    manager = User.objects.get(username="manager")
    for name, codes in TEAM_QUEUES.items():
        team = teams[name]
        if team.lead_id is None:
            team.lead = lead
            team.save(update_fields=["lead"])
        Queue.objects.filter(code__in=codes, team__isnull=True).update(team=team)
        Queue.objects.filter(code__in=codes, manager__isnull=True).update(manager=manager)
    return created
