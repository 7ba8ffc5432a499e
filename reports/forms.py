from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

# The report's own period, shown until a manager chooses another.
REPORT_START = datetime.date(2010, 7, 1)
REPORT_END = datetime.date(2010, 10, 31)
EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)


class PeriodForm(forms.Form):
    """The report's period: any days from `start` to `end`, both included."""

    start = forms.DateField(
        label=_("From"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The first day counted."),
    )
    end = forms.DateField(
        label=_("To"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The last day counted (included)."),
    )

    @classmethod
    def from_query(cls, query) -> PeriodForm:
        """Bound to the query string, or to the report's period when it has none."""
        if "start" in query or "end" in query:
            return cls(query)
        return cls({"start": REPORT_START.isoformat(), "end": REPORT_END.isoformat()})

    def _check_range(self, name: str) -> datetime.date:
        value = self.cleaned_data[name]
        if not EARLIEST <= value <= LATEST:
            raise forms.ValidationError(
                _("Choose a date from %(first)s to %(last)s.")
                % {"first": EARLIEST.isoformat(), "last": LATEST.isoformat()}
            )
        return value

    def clean_start(self) -> datetime.date:
        return self._check_range("start")

    def clean_end(self) -> datetime.date:
        return self._check_range("end")

    def clean(self) -> dict:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end date must not be before the start date."))
        return cleaned
