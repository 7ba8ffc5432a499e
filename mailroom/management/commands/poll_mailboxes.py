from django.core.management.base import BaseCommand
from django.utils import timezone

from mailroom import services


class Command(BaseCommand):
    help = "Fetch and file new e-mail from every active IMAP mailbox once."

    def handle(self, *args, **options) -> None:
        failed = 0
        for result in services.poll_mailboxes(now=timezone.now()):
            if result.error:
                failed += 1
                self.stderr.write(f"{result.mailbox}: {result.error}")
            else:
                self.stdout.write(
                    f"{result.mailbox}: {result.received} received, "
                    f"{result.quarantined} quarantined"
                )
        if failed:
            self.stderr.write(f"{failed} mailbox(es) could not be polled.")
