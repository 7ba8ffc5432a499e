"""The dashboard's chooser: a period, a queue, the counting basis, the interval.

Everything travels as GET parameters, so a dashboard's URL can be shared:
`?period=report-2010&queue=support`, or `?period=custom&start=2010-09-01
&end=2010-09-30`. Start and end alone mean a custom period.
"""

from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from analytics.models import Basis, Granularity
from dashboards.scope import Scope
from enquiries.models import Queue

LAST_7_DAYS = "7d"
LAST_30_DAYS = "30d"
THIS_MONTH = "month"
REPORT_2010 = "report-2010"
CUSTOM = "custom"
PERIOD_CHOICES = [
    (LAST_7_DAYS, _("Last 7 days")),
    (LAST_30_DAYS, _("Last 30 days")),
    (THIS_MONTH, _("This month")),
    (REPORT_2010, _("July–October 2010 (the report)")),
    (CUSTOM, _("Custom period")),
]
DEFAULT_PERIOD = LAST_30_DAYS
REPORT_START, REPORT_END = datetime.date(2010, 7, 1), datetime.date(2010, 10, 31)
AUTO = "auto"
INTERVAL_CHOICES = [(AUTO, _("Automatic")), *Granularity.choices]
# Longest periods: ten years in all, 400 bars when counted per day.
MAX_DAYS = 3660
MAX_DAY_BARS = 400


def preset_range(period: str, today: datetime.date) -> tuple[datetime.date, datetime.date]:
    if period == LAST_7_DAYS:
        return today - datetime.timedelta(days=6), today
    if period == THIS_MONTH:
        return today.replace(day=1), today
    if period == REPORT_2010:
        return REPORT_START, REPORT_END
    return today - datetime.timedelta(days=29), today


def auto_interval(start: datetime.date, end: datetime.date) -> str:
    """Days up to two months, weeks up to two years, months beyond."""
    days = (end - start).days + 1
    if days <= 62:
        return Granularity.DAY
    if days <= 731:
        return Granularity.WEEK
    return Granularity.MONTH


class DashboardFilterForm(forms.Form):
    period = forms.ChoiceField(label=_("Period"), choices=PERIOD_CHOICES, required=False)
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Used with a custom period."),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Used with a custom period."),
    )
    queue = forms.ChoiceField(label=_("Queue"), required=False)
    basis = forms.ChoiceField(
        label=_("Topic shares counted"),
        choices=Basis.choices,
        required=False,
        help_text=_("Per topic mention counts every topic a letter raises."),
    )
    interval = forms.ChoiceField(label=_("Bars per"), choices=INTERVAL_CHOICES, required=False)

    def __init__(self, *args, user, today: datetime.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.queues = list(Queue.objects.visible_to(user))
        self.fields["queue"].choices = [
            ("", _("All queues")),
            *[(q.code, q.name) for q in self.queues],
        ]

    def clean_queue(self) -> Queue | None:
        code = self.cleaned_data.get("queue")
        return next((queue for queue in self.queues if queue.code == code), None)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        # Start or end alone, without a period, mean a custom period.
        period = data.get("period") or (CUSTOM if (start or end) else DEFAULT_PERIOD)
        if period == CUSTOM:
            self._check_custom_period(start, end)
        else:
            start, end = preset_range(period, self.today)
        data["period"], data["start"], data["end"] = period, start, end
        data["interval"] = self._interval(data.get("interval") or AUTO, start, end)
        data["basis"] = data.get("basis") or Basis.ENQUIRY
        return data

    def _check_custom_period(self, start: datetime.date | None, end: datetime.date | None) -> None:
        if start is None and "start" not in self.errors:
            self.add_error("start", _("Give the first day of the period."))
        if end is None and "end" not in self.errors:
            self.add_error("end", _("Give the last day of the period."))
        if start and end and end < start:
            self.add_error("end", _("The period cannot end before it starts."))
        elif start and end and (end - start).days + 1 > MAX_DAYS:
            self.add_error("end", _("Choose a period of at most ten years."))

    def _interval(
        self, interval: str, start: datetime.date | None, end: datetime.date | None
    ) -> str:
        """The chosen interval, or the automatic one for the period; checked."""
        if not (start and end) or self.errors:
            return interval
        if interval == AUTO:
            return auto_interval(start, end)
        if interval == Granularity.DAY and (end - start).days + 1 > MAX_DAY_BARS:
            self.add_error(
                "interval",
                _("Counting per day allows at most 400 days; choose weeks or months."),
            )
        return interval

    def scope(self, *, now: datetime.datetime) -> Scope:
        data = self.cleaned_data
        queue = data.get("queue")
        return Scope(
            queues=[queue] if queue else self.queues,
            queue=queue,
            start=data["start"],
            end=data["end"],
            interval=data["interval"],
            basis=data["basis"],
            period=data["period"],
            now=now,
        )
