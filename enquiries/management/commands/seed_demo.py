from django.core.management.base import BaseCommand

from accounts.demo import create_demo_users
from enquiries.demo import create_demo_enquiries


class Command(BaseCommand):
    help = "Create the demo users (printing their passwords) and a small demo set."

    def add_arguments(self, parser):
        parser.add_argument("--enquiries", type=int, default=40)

    def handle(self, *args, **options):
        users = create_demo_users()
        created = create_demo_enquiries(options["enquiries"])
        self.stdout.write(f"Demo enquiries created: {created}")
        self.stdout.write(self.style.SUCCESS("Demo users (local use only):"))
        for username, role, password in users:
            self.stdout.write(f"  {username:<12} {role:<16} password: {password}")
