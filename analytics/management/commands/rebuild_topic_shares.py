import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics.services import rebuild_topic_shares
from enquiries.models import Queue


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value!r}") from error


class Command(BaseCommand):
    help = "Rebuild the topic-share snapshots of a period from the enquiries."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--start", required=True, type=_date, help="First day, YYYY-MM-DD.")
        parser.add_argument("--end", required=True, type=_date, help="Last day, YYYY-MM-DD.")
        parser.add_argument("--queue", help="A queue code; all queues if left out.")

    def handle(self, *args, start, end, queue=None, **options) -> None:
        selected = None
        if queue:
            selected = Queue.objects.filter(code=queue).first()
            if selected is None:
                raise CommandError(f"Unknown queue {queue!r}.")
        try:
            queue_ids = rebuild_topic_shares(start, end, queue=selected)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        self.stdout.write(f"Rebuilt topic shares {start}..{end} for {len(queue_ids)} queue(s).")
