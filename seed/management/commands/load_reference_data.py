from django.core.management.base import BaseCommand

from seed.reference import load_sla_policies, load_taxonomy
from seed.standard_texts import load_standard_texts


class Command(BaseCommand):
    help = (
        "Create or update the queues, their taxonomies and default SLA policies, and "
        "version 1 of the standard texts the product uses (idempotent)."
    )

    def handle(self, *args, **options):
        counts = load_taxonomy()
        counts["sla_policies"] = load_sla_policies()
        counts["standard_texts"] = load_standard_texts()
        self.stdout.write(
            self.style.SUCCESS(
                "Reference data: {queues} queues, {topics} topics, {categories} categories, "
                "{sla_policies} new SLA policies, {standard_texts} new standard texts.".format(
                    **counts
                )
            )
        )
