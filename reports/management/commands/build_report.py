from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from reports import rendering
from reports.forms import PeriodForm
from reports.user_analysis import build_user_analysis


class Command(BaseCommand):
    help = (
        "Build the taskforce report's user-analysis section from the data, in Danish. "
        "HTML and text go to standard output unless --output is given; a PDF needs a "
        "file (default: brugeranalyse-START-END.pdf in the current folder)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="First day, YYYY-MM-DD.")
        parser.add_argument("--end", required=True, help="Last day (included), YYYY-MM-DD.")
        parser.add_argument("--format", choices=rendering.FORMATS, default="html")
        parser.add_argument("--output", help="File to write; '-' for standard output.")
        parser.add_argument(
            "--rebuild-snapshots",
            action="store_true",
            help="First recompute the period's topic-share snapshots (after bulk loads).",
        )

    def handle(self, *args, start, end, format, output, rebuild_snapshots, **options):
        form = PeriodForm({"start": start, "end": end})
        if not form.is_valid():
            errors = "; ".join(
                f"--{field}: {' '.join(messages)}" for field, messages in form.errors.items()
            )
            raise CommandError(errors)
        first, last = form.cleaned_data["start"], form.cleaned_data["end"]
        if rebuild_snapshots:
            from analytics.services import rebuild_topic_shares

            rebuild_topic_shares(first, last)
        report = build_user_analysis(first, last)
        if format == "pdf":
            path = Path(output or f"brugeranalyse-{first.isoformat()}-{last.isoformat()}.pdf")
            if output == "-":
                raise CommandError("A PDF cannot go to standard output; name a file.")
            path.write_bytes(rendering.render_pdf(report))
            self.stderr.write(self.style.SUCCESS(f"Wrote {path}."))
            return
        text = rendering.render_html(report) if format == "html" else rendering.render_text(report)
        if output and output != "-":
            Path(output).write_text(text, encoding="utf-8")
            self.stderr.write(self.style.SUCCESS(f"Wrote {output}."))
        else:
            self.stdout.write(text)
