"""The dashboard's tables and chart data, built once for page and export.

A `Table` is what the page shows under a chart (for screen readers and as
the chart's legend of record) and exactly what its CSV/XLSX export holds.
Each figure is computed lazily (`cached_property`), so an export of one
table runs only the queries that table needs. Rows carry their drill-down
link: the enquiry or action list filtered to what the row counts.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from actions.models import Action, Kpi
from analytics.models import Basis, Granularity
from analytics.periods import bucket_end, bucket_starts, day_start, local_day, percent
from dashboards import figures
from dashboards.scope import Scope, action_url
from enquiries.escalation import LEVELS
from enquiries.models import Topic
from notices.models import Incident
from notices.reports import incidents_in_period
from problems.models import KnownProblem
from problems.reports import Affected, affected_over_time, most_linked

# The stacked chart names the largest topics and groups the rest, as the
# report names its five.
TOP_TOPICS = 5
OVERDUE_ACTIONS_SHOWN = 10
PROBLEMS_SHOWN = 10
CENTS = Decimal("0.01")
INTERVAL_NAMES = {
    Granularity.DAY: gettext_lazy("day"),
    Granularity.WEEK: gettext_lazy("week"),
    Granularity.MONTH: gettext_lazy("month"),
}


@dataclass
class Row:
    values: list[Any]
    url: str | None = None
    # Links of single cells by column index (the first cell uses `url`);
    # each lists exactly the rows its cell counts.
    links: dict[int, str] = field(default_factory=dict)
    # The column whose count `url` lists exactly; None where the link only
    # leads to the rows behind a time or a share (medians, compliance).
    figure: int | None = None


@dataclass
class Table:
    slug: str
    caption: str
    headers: list[str]
    rows: list[Row]
    total: Row | None = None
    note: str = ""
    # Set by the view: {"csv": url, "xlsx": url}.
    export_urls: dict[str, str] = field(default_factory=dict)

    def export_rows(self) -> list[list[Any]]:
        rows = [row.values for row in self.rows]
        return [*rows, self.total.values] if self.total else rows


def optional_url(name: str) -> str | None:
    """The page's URL, or None where it does not exist (yet)."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def hours(duration: datetime.timedelta | None) -> Decimal | None:
    if duration is None:
        return None
    seconds = Decimal(duration.total_seconds())
    return (seconds / 3600).quantize(Decimal("0.1"), ROUND_HALF_UP)


def mean(total: int, count: int) -> Decimal | None:
    if not count:
        return None
    return (Decimal(total) / count).quantize(Decimal("0.01"), ROUND_HALF_UP)


def bucket_label(interval: str, start: datetime.date) -> Any:
    """A date for days; "week 27, 2010" and "July 2010" otherwise."""
    if interval == Granularity.WEEK:
        year, week, _weekday = start.isocalendar()
        return _("week %(week)d, %(year)d") % {"week": week, "year": year}
    if interval == Granularity.MONTH:
        return date_format(start, "F Y")
    return start


class Dashboard:
    """Every figure of one dashboard, for one user and scope.

    The figures are data (query results and rows read), never text: the
    tables are made from them in the reader's language, so the figures of
    one scope can be kept in the cache (dashboards.cache) for every reader
    of it.
    """

    # The cached properties that read the database, by name.
    FIGURES = (
        "enquiry_buckets",
        "medians",
        "escalations",
        "topics",
        "topic_rows",
        "volume",
        "theme_rows",
        "overdue_actions",
        "kpis",
        "alert_count",
        "survey_list",
        "rating_months",
        "incidents",
        "affected",
        "problems",
    )

    def __init__(self, scope: Scope, user) -> None:
        self.scope = scope
        self.user = user
        self.can_actions = user.has_perm("actions.view_action")
        self.can_alerts = user.has_perm("analytics.view_patternalert")
        self.can_surveys = user.has_perm("feedback.view_surveyresult")
        self.can_ratings = user.has_perm("feedback.view_enquiryrating")
        self.can_incidents = user.has_perm("notices.view_incident")
        self.can_problems = user.has_perm("problems.view_knownproblem")
        self.reused: set[str] = set()

    # Figures (one query each, run on first use)

    @cached_property
    def enquiry_buckets(self) -> list[dict]:
        return figures.enquiry_buckets(self.scope)

    @cached_property
    def counts(self) -> dict[str, int]:
        return figures.enquiry_counts(self.scope, self.enquiry_buckets)

    @cached_property
    def medians(self) -> dict:
        return figures.response_medians(self.scope)

    @cached_property
    def escalations(self) -> dict[int, int]:
        return figures.escalations(self.scope)

    @cached_property
    def topics(self) -> dict[int, Topic]:
        return {
            topic.pk: topic
            for topic in Topic.objects.filter(queue_id__in=self.scope.queue_ids).order_by()
        }

    @cached_property
    def theme_rows(self) -> list[dict]:
        return figures.actions_by_theme(self.user, self.scope.today) if self.can_actions else []

    @cached_property
    def alert_count(self) -> int | None:
        return figures.open_alert_count(self.scope, self.user) if self.can_alerts else None

    @cached_property
    def survey_list(self) -> list:
        return figures.surveys() if self.can_surveys else []

    @cached_property
    def rating_months(self) -> list[dict]:
        return figures.ratings_by_month(self.scope) if self.can_ratings else []

    @cached_property
    def incidents(self) -> list[Incident]:
        if not self.can_incidents:
            return []
        return incidents_in_period(
            day_start(self.scope.start),
            day_start(self.scope.end + datetime.timedelta(days=1)),
            queue_ids=self.scope.queue_ids,
            user=self.user,
        )

    @cached_property
    def affected(self) -> list[Affected]:
        if not self.can_problems:
            return []
        scope = self.scope
        return affected_over_time(scope.cohort(), scope.interval, scope.start, scope.end)

    @cached_property
    def problems(self) -> list[KnownProblem]:
        if not self.can_problems:
            return []
        return most_linked(self.scope.cohort(), self.user, limit=PROBLEMS_SHOWN)

    @cached_property
    def topic_rows(self) -> list[dict]:
        return figures.topic_totals(self.scope)

    @cached_property
    def overdue_actions(self) -> list[Action]:
        if not self.can_actions:
            return []
        return figures.overdue_actions(self.user, self.scope.today, limit=OVERDUE_ACTIONS_SHOWN)

    @cached_property
    def kpis(self) -> list[Kpi]:
        return figures.kpis(self.user) if self.can_actions else []

    def figure_values(self) -> dict[str, Any]:
        """The figures read so far, by name."""
        return {name: self.__dict__[name] for name in self.FIGURES if name in self.__dict__}

    def reuse(self, found: dict[str, Any]) -> None:
        """Take figures read before (`figure_values()`) instead of reading them."""
        for name in self.FIGURES:
            if name in found:
                # Where cached_property keeps a value it has computed.
                self.__dict__[name] = found[name]
                self.reused.add(name)

    def read_anew(self) -> bool:
        """Whether a figure was read from the database, not reused."""
        return bool(self.figure_values().keys() - self.reused)

    def freshness(self) -> list:
        """The aggregates the page's validator reads (figures.freshness)."""
        panels = {
            "actions": self.can_actions,
            "alerts": self.can_alerts,
            "surveys": self.can_surveys,
            "ratings": self.can_ratings,
            "incidents": self.can_incidents,
            "problems": self.can_problems,
        }
        return figures.freshness(self.scope, self.user, panels)

    # Helpers

    def incident_days(self, incident: Incident) -> tuple[datetime.date, datetime.date]:
        """The Copenhagen days of the incident's window (to now if open)."""
        return local_day(incident.started_at), local_day(incident.window_end(self.scope.now))

    def incident_bands(self) -> list[dict]:
        """Per incident of the period, the volume chart's buckets it covers:
        {"label": title, "from": first index, "to": last index}."""
        language = get_language() or "da"
        buckets = self.buckets()
        bands = []
        for incident in self.incidents:
            first_day, last_day = self.incident_days(incident)
            covered = [
                index
                for index, (_start, first, last) in enumerate(buckets)
                if first <= last_day and first_day <= last
            ]
            if covered:
                bands.append(
                    {"label": incident.title(language), "from": covered[0], "to": covered[-1]}
                )
        return bands

    def alert_url(self) -> str:
        params = {"status": "open"}
        if self.scope.queue is not None:
            params["queue"] = self.scope.queue.code
        return f"{reverse('analytics:alert-list')}?{urlencode(params)}"

    def topic_name(self, topic_id: int | None) -> str:
        if topic_id is None:
            return _("Not yet classified")
        topic = self.topics.get(topic_id)
        if topic is None:
            return _("Unknown topic")
        if len(self.scope.queues) > 1:
            queue = next((q for q in self.scope.queues if q.pk == topic.queue_id), None)
            return f"{queue.name}: {topic.name}" if queue else topic.name
        return topic.name

    def buckets(self) -> list[tuple[datetime.date, datetime.date, datetime.date]]:
        """(bucket start, first day, last day) clipped to the period."""
        interval = self.scope.interval
        found = []
        for start in bucket_starts(interval, self.scope.start, self.scope.end):
            first, last = self.scope.clip(start, bucket_end(interval, start))
            found.append((start, first, last))
        return found

    # Tables

    def summary_table(self) -> Table:
        scope, counts = self.scope, self.counts
        enquiries = _("enquiries")
        rows = [
            Row(
                [_("Enquiries received"), counts["received"], enquiries],
                scope.enquiry_url(),
                figure=1,
            ),
            Row(
                [_("Open backlog"), counts["open"], enquiries],
                scope.enquiry_url(is_open="true"),
                figure=1,
            ),
            Row(
                [_("Resolved or closed"), counts["resolved"], enquiries],
                scope.enquiry_url(is_open="false"),
                figure=1,
            ),
            Row(
                [_("Open and past a deadline"), counts["overdue"], enquiries],
                scope.enquiry_url(overdue="true"),
                figure=1,
            ),
            Row(
                [
                    _("Median time to first response"),
                    hours(self.medians["first_response"]),
                    _("hours"),
                ],
                scope.enquiry_url(),
            ),
            Row(
                [_("Median time to resolution"), hours(self.medians["resolution"]), _("hours")],
                scope.enquiry_url(is_open="false"),
            ),
            Row(
                [
                    _("Resolved within the deadline"),
                    percent(counts["resolved_on_time"], counts["resolved_with_deadline"])
                    if counts["resolved_with_deadline"]
                    else None,
                    _("%% of %(count)d resolved with a deadline")
                    % {"count": counts["resolved_with_deadline"]},
                ],
                scope.enquiry_url(is_open="false"),
            ),
        ]
        for level in LEVELS:
            rows.append(
                Row(
                    [
                        _("Escalations to level %(level)d") % {"level": level},
                        self.escalations.get(level, 0),
                        enquiries,
                    ],
                    scope.enquiry_url(escalated=level),
                    figure=1,
                )
            )
        if self.can_alerts:
            rows.append(
                Row(
                    [_("Open pattern alerts"), self.alert_count, _("alerts")],
                    self.alert_url(),
                    figure=1,
                )
            )
        if self.can_actions:
            statuses = self.status_counts()
            actions = _("actions")
            rows += [
                Row(
                    [_("Actions done"), statuses[Action.Status.DONE], actions],
                    action_url(status=Action.Status.DONE),
                    figure=1,
                ),
                Row(
                    [_("Actions in progress"), statuses[Action.Status.IN_PROGRESS], actions],
                    action_url(status=Action.Status.IN_PROGRESS),
                    figure=1,
                ),
                Row(
                    [_("Actions overdue"), statuses["overdue"], actions],
                    action_url(overdue="true"),
                    figure=1,
                ),
            ]
        # The satisfaction page (feedback app) needs the survey permission.
        satisfaction = optional_url("feedback:satisfaction") if self.can_surveys else None
        if self.can_surveys and self.survey_list:
            survey = self.survey_list[-1]
            rows.append(
                Row(
                    [
                        _("Satisfied in the latest survey"),
                        survey.share_satisfied,
                        _("%% of %(respondents)s respondents (%(source)s)")
                        % {
                            "respondents": survey.base or survey.respondents,
                            "source": survey.source,
                        },
                    ],
                    f"{satisfaction}#survey-{survey.pk}" if satisfaction else None,
                )
            )
        if self.can_ratings:
            count = sum(month["n"] for month in self.rating_months)
            total = sum(month["total"] for month in self.rating_months)
            rows.append(
                Row(
                    [
                        _("Mean rating by citizens"),
                        mean(total, count),
                        ngettext(
                            "of 5, from %(count)d rating", "of 5, from %(count)d ratings", count
                        )
                        % {"count": count},
                    ],
                    self.rating_url(self.scope.start, self.scope.end),
                )
            )
        return Table(
            "summary",
            _("Headline figures"),
            [_("Figure"), _("Value"), _("Unit")],
            rows,
            note=_(
                "Enquiry figures are about the enquiries received in the period; "
                "open and overdue are as of now. Times are calendar time."
            ),
        )

    def topic_url(self, topic_id: int | None) -> str | None:
        """The list the topic's count counts, on the dashboard's basis."""
        if topic_id is None:
            # Only the per-enquiry basis counts unclassified enquiries.
            return self.scope.enquiry_url(topic="null")
        if self.scope.basis == Basis.MENTION:
            # A mention is an enquiry raising the topic, first or further.
            return self.scope.enquiry_url(mentions=topic_id)
        return self.scope.enquiry_url(topic=topic_id)

    def topic_table(self) -> Table:
        # A sorted copy: the figure stays as read, for the cache.
        rows_found = sorted(self.topic_rows, key=lambda row: (-row["n"], row["topic_id"] is None))
        total = sum(row["n"] for row in rows_found)
        mentions = self.scope.basis == Basis.MENTION
        rows = [
            Row(
                [self.topic_name(row["topic_id"]), percent(row["n"], total), row["n"]],
                self.topic_url(row["topic_id"]),
                figure=2,
            )
            for row in rows_found
            if row["n"]
        ]
        return Table(
            "topics",
            _("Topic shares"),
            [_("Topics"), _("Share of all (%)"), _("Mentions") if mentions else _("Enquiries")],
            rows,
            total=Row([_("Total"), Decimal("100.0") if total else None, total]),
            note=_("Each letter counts once for every topic it raises.")
            if mentions
            else _("Each enquiry counts once, by its topic."),
        )

    @cached_property
    def volume(self) -> tuple[list[int | None], dict[datetime.date, dict]]:
        """The largest topics of the period and {bucket: {topic: n}}."""
        found = figures.volume_series(self.scope)
        totals: dict[int | None, int] = {}
        per_bucket: dict[datetime.date, dict] = {}
        for row in found:
            totals[row["topic_id"]] = totals.get(row["topic_id"], 0) + row["n"]
            per_bucket.setdefault(row["bucket"], {})[row["topic_id"]] = row["n"]
        ranked = sorted(
            (topic for topic in totals if topic is not None), key=lambda t: (-totals[t], t)
        )
        return ranked[:TOP_TOPICS], per_bucket

    def volume_table(self) -> Table:
        top, per_bucket = self.volume
        rows = []
        for start, first, last in self.buckets():
            counts = per_bucket.get(start, {})
            named = [counts.get(topic, 0) for topic in top]
            all_count = sum(counts.values())
            rows.append(
                Row(
                    [
                        bucket_label(self.scope.interval, start),
                        *named,
                        all_count - sum(named),
                        all_count,
                    ],
                    self.scope.enquiry_url(first=first, last=last),
                    figure=len(top) + 2,
                    links={
                        index + 1: self.scope.enquiry_url(first=first, last=last, topic=topic)
                        for index, topic in enumerate(top)
                        if counts.get(topic)
                    },
                )
            )
        return Table(
            "volume",
            _("Enquiries received per %(interval)s, by topic")
            % {"interval": INTERVAL_NAMES[self.scope.interval]},
            [
                _("Period"),
                *[self.topic_name(topic) for topic in top],
                _("Other topics and unclassified"),
                _("All"),
            ],
            rows,
        )

    def backlog_table(self) -> Table:
        today = self.scope.today
        rows = []
        for bucket in figures.AGE_BUCKETS:
            first, last = bucket.days(today)
            url = None
            if self.counts[f"age_{bucket.key}"]:
                url = self.scope.enquiry_url(first=first, last=last, is_open="true")
            rows.append(Row([str(bucket.label), self.counts[f"age_{bucket.key}"]], url, figure=1))
        return Table(
            "backlog",
            _("Open enquiries by age"),
            [_("Age"), _("Open enquiries")],
            rows,
            total=Row([_("Total"), self.counts["open"]]),
            note=_("Age in whole days since the enquiry was received."),
        )

    def compliance_table(self) -> Table:
        found = {row["bucket"]: row for row in self.enquiry_buckets}
        rows = []
        for start, first, last in self.buckets():
            row = found.get(start, {})
            with_deadline = row.get("resolved_with_deadline", 0)
            on_time = row.get("resolved_on_time", 0)
            overdue = row.get("overdue", 0)
            rows.append(
                Row(
                    [
                        bucket_label(self.scope.interval, start),
                        with_deadline,
                        on_time,
                        percent(on_time, with_deadline) if with_deadline else None,
                        overdue,
                    ],
                    self.scope.enquiry_url(first=first, last=last, is_open="false"),
                    links={4: self.scope.enquiry_url(first=first, last=last, overdue="true")}
                    if overdue
                    else {},
                )
            )
        return Table(
            "compliance",
            _("Deadline compliance per %(interval)s of reception")
            % {"interval": INTERVAL_NAMES[self.scope.interval]},
            [
                _("Received"),
                _("Resolved with a deadline"),
                _("Resolved within it"),
                _("Share within the deadline (%)"),
                _("Open and past a deadline"),
            ],
            rows,
        )

    def status_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(Action.Status.values, 0)
        counts["overdue"] = 0
        for row in self.theme_rows:
            for key in counts:
                counts[key] += row[key]
        return counts

    def action_status_table(self) -> Table:
        counts = self.status_counts()
        rows = [
            Row([str(label), counts[status]], action_url(status=status), figure=1)
            for status, label in Action.Status.choices
        ]
        return Table(
            "actions-status",
            _("Actions by status"),
            [_("Status"), _("Actions")],
            rows,
            total=Row([_("Overdue (open, past the due date)"), counts["overdue"]]),
        )

    def action_theme_table(self) -> Table:
        statuses = Action.Status.choices
        english = (get_language() or "da").startswith("en")
        rows = []
        for row in self.theme_rows:
            name = row["theme__name_da"]
            if english and row["theme__name_en"]:
                name = row["theme__name_en"]
            code = row["theme__code"]
            links = {
                index + 1: action_url(theme=code, status=status)
                for index, (status, _label) in enumerate(statuses)
                if row[status]
            }
            if row["overdue"]:
                links[len(statuses) + 1] = action_url(theme=code, overdue="true")
            rows.append(
                Row(
                    [name, *[row[status] for status, _label in statuses], row["overdue"]],
                    action_url(theme=code),
                    links=links,
                )
            )
        return Table(
            "actions-theme",
            _("Actions by theme and status"),
            [_("Theme"), *[str(label) for _status, label in statuses], _("Overdue")],
            rows,
        )

    def overdue_table(self) -> Table:
        rows = [
            Row(
                [
                    action.title,
                    action.owner.name,
                    action.theme.name,
                    action.get_status_display(),
                    action.due_phrase or None,
                    action.due_end,
                ],
                action.get_absolute_url(),
            )
            for action in self.overdue_actions
        ]
        return Table(
            "actions-overdue",
            _("Overdue actions, longest overdue first"),
            [_("Action"), _("Owner"), _("Theme"), _("Status"), _("Due"), _("Due by")],
            rows,
            note=_("The %(count)d longest overdue; the list has them all.")
            % {"count": OVERDUE_ACTIONS_SHOWN},
        )

    def kpi_table(self) -> Table:
        rows = [
            Row(
                [
                    kpi.metric,
                    kpi.action.title,
                    kpi.unit or None,
                    kpi.baseline,
                    # SQLite returns a subquery's decimal without its places.
                    None if kpi.latest_value is None else kpi.latest_value.quantize(CENTS),
                    kpi.latest_on,
                    kpi.target,
                    figures.kpi_progress(kpi),
                ],
                kpi.action.get_absolute_url(),
            )
            for kpi in self.kpis
        ]
        return Table(
            "kpis",
            _("KPI progress"),
            [
                _("KPI"),
                _("Action"),
                _("Unit"),
                _("Baseline"),
                _("Latest reading"),
                _("Measured"),
                _("Target"),
                _("Progress towards the target (%)"),
            ],
            rows,
        )

    def survey_table(self) -> Table:
        # Each survey opens its row on the satisfaction page: whom the share
        # counts and the notes on the source.
        page = optional_url("feedback:satisfaction")
        rows = [
            Row(
                [
                    survey.source,
                    survey.conducted_by.name if survey.conducted_by else None,
                    survey.published_on,
                    survey.respondents,
                    survey.base,
                    survey.share_satisfied,
                ],
                f"{page}#survey-{survey.pk}" if page else None,
            )
            for survey in self.survey_list
        ]
        return Table(
            "surveys",
            _("Survey results"),
            [
                _("Survey"),
                _("Conducted by"),
                _("Published"),
                _("Respondents"),
                _("Of whom counted"),
                _("Share satisfied (%)"),
            ],
            rows,
        )

    def rating_url(self, first: datetime.date, last: datetime.date) -> str | None:
        """The satisfaction page's scores of the ratings recorded in [first, last]."""
        page = optional_url("feedback:satisfaction") if self.can_surveys else None
        days = self.scope.clip(first, last)
        if page is None or days is None:
            return None
        params = {"recorded_from": days[0].isoformat(), "recorded_to": days[1].isoformat()}
        if self.scope.queue is not None:
            params["queue"] = self.scope.queue.code
        return f"{page}?{urlencode(params)}#ratings-heading"

    def rating_table(self) -> Table:
        rows = [
            Row(
                [date_format(month["month"], "F Y"), month["n"], mean(month["total"], month["n"])],
                self.rating_url(month["month"], bucket_end(Granularity.MONTH, month["month"])),
            )
            for month in self.rating_months
        ]
        count = sum(month["n"] for month in self.rating_months)
        total = sum(month["total"] for month in self.rating_months)
        return Table(
            "ratings",
            _("Citizens' ratings per month (1–5)"),
            [_("Month"), _("Ratings"), _("Mean rating")],
            rows,
            total=Row([_("The whole period"), count, mean(total, count)]),
        )

    def incident_table(self) -> Table:
        """The incidents shaded on the volume chart, as text."""
        language = get_language() or "da"
        rows = []
        for incident in self.incidents:
            first_day, last_day = self.incident_days(incident)
            rows.append(
                Row(
                    [
                        incident.title(language),
                        ", ".join(incident.service_labels()),
                        first_day,
                        last_day if not incident.is_ongoing else _("ongoing"),
                        incident.linked_count,
                    ],
                    reverse("notices:detail", kwargs={"pk": incident.pk}),
                )
            )
        return Table(
            "incidents",
            _("Incidents in the period (shaded on the chart of enquiries over time)"),
            [_("Incident"), _("Affected services"), _("From"), _("To"), _("Linked enquiries")],
            rows,
        )

    def problem_time_table(self) -> Table:
        """Enquiries and citizens affected by known problems, per bucket."""
        rows = [
            Row(
                [
                    bucket_label(self.scope.interval, row.start),
                    row.enquiries,
                    row.citizens,
                    row.total_enquiries,
                    row.total_citizens,
                ]
            )
            for row in self.affected
        ]
        return Table(
            "problems-time",
            _("Enquiries received per %(interval)s that are linked to a known problem")
            % {"interval": INTERVAL_NAMES[self.scope.interval]},
            [
                _("Period"),
                _("Enquiries"),
                _("Citizens"),
                _("Enquiries in all"),
                _("Citizens in all"),
            ],
            rows,
            note=_("A citizen counts once in the totals, from their first linked enquiry."),
        )

    # Which tables a user may have

    def table_builders(self) -> dict:
        builders = {
            "summary": self.summary_table,
            "volume": self.volume_table,
            "topics": self.topic_table,
            "backlog": self.backlog_table,
            "compliance": self.compliance_table,
        }
        if self.can_actions:
            builders |= {
                "actions-status": self.action_status_table,
                "actions-theme": self.action_theme_table,
                "actions-overdue": self.overdue_table,
                "kpis": self.kpi_table,
            }
        if self.can_surveys:
            builders["surveys"] = self.survey_table
        if self.can_ratings:
            builders["ratings"] = self.rating_table
        if self.can_incidents:
            builders["incidents"] = self.incident_table
        if self.can_problems:
            builders["problems-time"] = self.problem_time_table
        return builders
