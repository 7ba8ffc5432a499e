import time

from django.core.management.base import BaseCommand, CommandError

from analytics.services import rebuild_topic_shares
from seed.generator.loader import PeriodNotEmpty, load_report_profile
from seed.generator.profile import PERIOD_END, PERIOD_START, share

PROFILES = ["report-2010"]


class Command(BaseCommand):
    help = (
        "Create July-October 2010 as the taskforce's report describes it: 216,000 support "
        "enquiries, 126 ministry letters and press items, with the report's topic shares."
    )

    def add_arguments(self, parser):
        parser.add_argument("--profile", choices=PROFILES, default="report-2010")
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Multiply the volume (e.g. 4.6 for about a million enquiries).",
        )
        parser.add_argument(
            "--support-count",
            type=int,
            help="Exact number of support enquiries (overrides --scale; at least 1,000).",
        )
        parser.add_argument("--seed", type=int, default=2010)
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete every enquiry received in the period first.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) if the period already holds enquiries.",
        )
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--no-snapshots",
            action="store_true",
            help="Leave the period's topic-share snapshots (the dashboard's figures) unbuilt.",
        )

    def handle(self, *args, **options):
        try:
            result = load_report_profile(
                scale=options["scale"],
                support_count=options["support_count"],
                seed=options["seed"],
                replace=options["replace"],
                progress=not options["no_progress"] and options["verbosity"] > 0,
            )
        except PeriodNotEmpty as error:
            if options["if_empty"]:
                self.stdout.write(
                    f"{error.count:,} enquiries already exist between 1 July and "
                    "31 October 2010; nothing generated."
                )
                return
            raise CommandError(
                f"{error.count} enquiries already exist between 1 July and 31 October 2010. "
                "Run again with --replace to delete them and generate the period anew."
            ) from None
        except ValueError as error:
            raise CommandError(str(error)) from None
        volumes, totals = result.volumes, result.totals
        if result.replaced:
            self.stdout.write(f"Deleted {result.replaced:,} enquiries in the period first.")
        self.stdout.write(
            f"Support {volumes.support_total:,}, ministry letters {volumes.ministry_letters:,}, "
            f"press {volumes.press_total:,}: {totals.enquiries:,} enquiries, "
            f"{totals.citizens:,} citizens, {totals.events:,} timeline events."
        )
        for code, count in list(volumes.support.items())[:5]:
            self.stdout.write(f"  {code:<26} {count:>9,}  {share(count, volumes.support_total)} %")
        if options["verbosity"] > 1:
            for phase, seconds in result.phases.items():
                self.stdout.write(f"  {phase:<28} {seconds:6.1f} s")
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded in {result.seconds:.1f} s "
                f"({totals.enquiries / result.seconds:,.0f} enquiries/s)."
            )
        )
        if not options["no_snapshots"]:
            # The bulk load leaves no dirty marks, so nothing else would
            # count it: without this the dashboard's charts of the period
            # stay empty (the report counts directly either way).
            started = time.perf_counter()
            rebuild_topic_shares(PERIOD_START, PERIOD_END)
            self.stdout.write(
                f"Topic-share snapshots of {PERIOD_START:%d-%m-%Y} to {PERIOD_END:%d-%m-%Y} "
                f"built in {time.perf_counter() - started:.1f} s."
            )
