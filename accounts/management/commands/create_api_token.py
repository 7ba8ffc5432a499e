"""Give a user an API token, for integrations such as a telephony system."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = (
        "Print the API token of a user, creating it if there is none. "
        "Send it as the header `Authorization: Token <key>`."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--rotate",
            action="store_true",
            help="Replace an existing token; the old one stops working at once.",
        )

    @transaction.atomic
    def handle(self, *args, username: str, rotate: bool, **options):
        User = get_user_model()
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user is called {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"The user {username!r} is not active.")
        if rotate:
            Token.objects.filter(user=user).delete()
        token, created = Token.objects.get_or_create(user=user)
        if created:
            self.stderr.write(f"Created a token for {username}.")
        # Only the key on stdout, so scripts can capture it.
        self.stdout.write(token.key)
