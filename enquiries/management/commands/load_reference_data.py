from django.core.management.base import BaseCommand

from enquiries.reference_data import load_taxonomy


class Command(BaseCommand):
    help = "Create or update the queues and their topic taxonomies (idempotent)."

    def handle(self, *args, **options):
        counts = load_taxonomy()
        self.stdout.write(
            self.style.SUCCESS(
                "Reference data: {queues} queues, {topics} topics, {categories} categories.".format(
                    **counts
                )
            )
        )
