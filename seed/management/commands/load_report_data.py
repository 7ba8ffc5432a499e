from django.core.management.base import BaseCommand
from django.db import transaction

from seed.report.actions import load_action_data
from seed.report.stakeholders import load_stakeholder_data
from seed.report.surveys import load_survey_results


class Command(BaseCommand):
    help = (
        "Load the taskforce report's world: organisations, meetings, recommendations, "
        "follow-ups, themes, actions, KPI readings and survey results, as history: the "
        "follow-ups the report leaves open end with 2010, and the actions overdue today "
        "count as followed up in their time (no escalation e-mails). Idempotent: "
        "creates only what is missing and never changes existing rows."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            stakeholders = load_stakeholder_data(as_history=True)
            actions = load_action_data(as_history=True)
            surveys = load_survey_results()
        created = {**stakeholders, **actions, **surveys}
        summary = ", ".join(f"{count} {name.replace('_', ' ')}" for name, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Report data created: {summary}."))
