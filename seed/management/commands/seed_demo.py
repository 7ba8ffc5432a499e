import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from analytics.services import rebuild_topic_shares
from seed.demo.enquiries import DEMO_DAYS, create_demo_enquiries
from seed.demo.follow_ups import create_demo_follow_ups
from seed.demo.users import create_demo_users


class Command(BaseCommand):
    help = (
        "Create the demo users (printing their passwords) and a desk of recent enquiries "
        "beside any history, unless enquiries of the last two weeks exist."
    )

    def add_arguments(self, parser):
        parser.add_argument("--enquiries", type=int, default=40)

    def handle(self, *args, **options):
        users = create_demo_users()
        now = timezone.now()
        created = create_demo_enquiries(options["enquiries"], now=now)
        if created:
            # The dashboard reads the days' snapshots: count them now rather
            # than when a worker first runs, so the default view has data.
            today = timezone.localdate(now)
            rebuild_topic_shares(today - datetime.timedelta(days=DEMO_DAYS), today, now=now)
            self.stdout.write(f"Demo enquiries created: {created}, received in the last two weeks.")
        else:
            self.stdout.write("Demo enquiries of the last two weeks exist already; none created.")
        # The report's follow-ups are history: today's desk waits on others too.
        waits = create_demo_follow_ups(timezone.localdate(now))
        self.stdout.write(f"Demo follow-ups opened: {waits}.")
        self.stdout.write(self.style.SUCCESS("Demo users (local use only):"))
        for username, role, password in users:
            self.stdout.write(f"  {username:<12} {role:<16} password: {password}")
