from django.core.management.base import BaseCommand

from enquiries.reference_data import load_sla_policies, load_taxonomy


class Command(BaseCommand):
    help = "Create or update the queues, their taxonomies and default SLA policies (idempotent)."

    def handle(self, *args, **options):
        counts = load_taxonomy()
        counts["sla_policies"] = load_sla_policies()
        self.stdout.write(
            self.style.SUCCESS(
                "Reference data: {queues} queues, {topics} topics, {categories} categories, "
                "{sla_policies} new SLA policies.".format(**counts)
            )
        )
