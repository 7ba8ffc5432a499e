"""The load test's people and their desk: numbered agents, leads, managers, API clients.

Every account shares one password, hashed once (hashing 300 passwords
would take longer than the run). The agents and their leads join the
demo's NemID-support team, whose queue is the support line: the floor of
November 2010 worked one queue.
"""

from __future__ import annotations

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from accounts.models import Team, User
from accounts.roles import Role
from seed.demo.enquiries import create_demo_enquiries
from seed.demo.users import create_demo_users

PASSWORD = "load-test-2010"
SUPPORT_TEAM = "NemID-support"


def _accounts(prefix: str, count: int, role: Role, team: Team | None, hashed: str) -> list[User]:
    names = [f"load-{prefix}-{number:03d}" for number in range(1, count + 1)]
    known = set(User.objects.filter(username__in=names).values_list("username", flat=True))
    User.objects.bulk_create(
        User(
            username=name,
            first_name=prefix.capitalize(),
            last_name=name.rsplit("-", 1)[1],
            email=f"{name}@nemid-cases.invalid",
            team=team,
            password=hashed,
        )
        for name in names
        if name not in known
    )
    users = list(User.objects.filter(username__in=names).order_by("username"))
    User.objects.filter(username__in=names).update(password=hashed, is_active=True, team=team)
    Group.objects.get(name=role.value).user_set.add(*users)
    return users


@transaction.atomic
def prepare(*, agents: int, leads: int, managers: int, api_clients: int) -> dict:
    """Create (or refresh) the accounts; return what the locustfile reads."""
    call_command("load_reference_data", verbosity=0)
    create_demo_users()
    team = Team.objects.get(name=SUPPORT_TEAM)
    hashed = make_password(PASSWORD)
    accounts = {
        "agent": _accounts("agent", agents, Role.AGENT, team, hashed),
        "teamlead": _accounts("lead", leads, Role.TEAM_LEAD, team, hashed),
        "manager": _accounts("manager", managers, Role.MANAGER, None, hashed),
    }
    clients = _accounts("api", api_clients, Role.AGENT, team, hashed)
    # Today's desk beside the history, as seed_demo makes it: two open
    # enquiries per agent, so the lists and the triage have work in them.
    create_demo_enquiries(max(40, 2 * agents), now=timezone.now())
    tokens = [Token.objects.get_or_create(user=user)[0].key for user in clients]
    return {
        "password": PASSWORD,
        "accounts": {role: [user.username for user in users] for role, users in accounts.items()}
        | {"api": tokens},
    }
