from django.core.management.base import BaseCommand
from django.utils import timezone

from privacy import services
from privacy.models import RetentionPolicy


class Command(BaseCommand):
    help = (
        "Anonymise now everything past its retention period, run after run until nothing "
        "is left (beat does the same, RETENTION_MAX_BATCHES batches an hour). Idempotent; "
        "safe beside the running application and the beat sweep."
    )

    def handle(self, *args, **options):
        if not RetentionPolicy.objects.exists():
            self.stdout.write("No retention policy is set (admin: Retention policies).")
            return
        total = {"enquiries": 0, "citizens": 0}
        while True:
            counts = services.anonymise_expired(now=timezone.now())
            total = {key: total[key] + counts[key] for key in total}
            if not any(counts.values()):
                break
            self.stdout.write(
                f"… {total['enquiries']:,} enquiries, {total['citizens']:,} citizens so far"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Anonymised {total['enquiries']:,} enquiries and {total['citizens']:,} citizens."
            )
        )
