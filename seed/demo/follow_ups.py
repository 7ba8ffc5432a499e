"""Today's waits for the demo desk, beside the report's (which are history).

The waits are in seed/data/demo_desk.json; they are opened through the
stakeholders' services.
"""

import datetime

from django.db import transaction

from accounts.models import User
from seed.files import read
from stakeholders import services
from stakeholders.models import FollowUp, Organisation

# (waiting, awaited, subject, days waiting, days until expected): one wait
# still within its expected date, one past it.
DEMO_FOLLOW_UPS = [
    (
        wait["waiting"],
        wait["awaited"],
        wait["subject"],
        wait["days_waiting"],
        wait["days_until_expected"],
    )
    for wait in read("demo_desk.json")["follow_ups"]
]


@transaction.atomic
def create_demo_follow_ups(today: datetime.date) -> int:
    """Open the demo's current waits unless one is open; returns the count.

    Needs the report's organisations (load_report_data) and the demo users;
    without them nothing is created.
    """
    if FollowUp.objects.open().exists():
        return 0
    organisations = Organisation.objects.in_bulk(
        {code for waiting, awaited, *_rest in DEMO_FOLLOW_UPS for code in (waiting, awaited)},
        field_name="code",
    )
    secretary = User.objects.filter(username="secretariat").first()
    created = 0
    for waiting, awaited, subject, days, expected in DEMO_FOLLOW_UPS:
        if secretary is None or waiting not in organisations or awaited not in organisations:
            continue
        services.open_follow_up(
            subject=subject,
            waiting_organisation=organisations[waiting],
            awaited_organisation=organisations[awaited],
            since_on=today - datetime.timedelta(days=days),
            expected_on=today + datetime.timedelta(days=expected),
            waiting_user=secretary,
            by=secretary,
        )
        created += 1
    return created
