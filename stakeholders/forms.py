"""Forms for the secretariat's pages; the views pass their data to services."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from enquiries.fields import PersonField
from enquiries.models import Topic
from nemid_cases.versioning import VersionedFormMixin
from stakeholders.models import (
    Contact,
    FollowUp,
    Meeting,
    Organisation,
    Recommendation,
    WorkingGroup,
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class TopicField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return f"{obj.queue.name} › {obj.name}"


def _topics():
    return Topic.objects.select_related("queue")


def _contacts():
    return Contact.objects.select_related("organisation").filter(is_active=True)


def staff_field(field: forms.ModelChoiceField) -> PersonField:
    """A member of staff picked by type-ahead: never a select of the whole floor."""
    return PersonField(
        User.objects.filter(is_active=True).select_related("team"),
        label=field.label,
        required=field.required,
        params={"scope": "staff"},
        placeholder=_("None"),
    )


_DANISH = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "Ae", "Ø": "Oe", "Å": "Aa"})


def make_code(text: str, model, *, max_length: int = 60) -> str:
    """A unique slug from a Danish name (æ → ae, ø → oe, å → aa)."""
    base = slugify(text.translate(_DANISH))[: max_length - 4].strip("-") or "x"
    code, n = base, 2
    while model.objects.filter(code=code).exists():
        code, n = f"{base}-{n}", n + 1
    return code


class CodeFromNameMixin:
    """Fill an empty `code` from the name, so people need not invent one."""

    def clean_code(self):
        code = self.cleaned_data.get("code")
        if code:
            return code
        if self.instance.pk and self.instance.code:
            return self.instance.code
        name = self.data.get(self.add_prefix("name"), "") or ""
        return make_code(str(name), self._meta.model)


class OrganisationForm(VersionedFormMixin, CodeFromNameMixin, forms.ModelForm):
    website = forms.URLField(
        label=_("website"), required=False, max_length=200, assume_scheme="https"
    )

    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "code", "website", "is_taskforce_member", "notes"]
        help_texts = {"code": _("A stable identifier; left empty, it is made from the name.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False


class ContactForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["organisation", "name", "title", "email", "phone", "user", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"] = staff_field(self.fields["user"])


class WorkingGroupForm(VersionedFormMixin, CodeFromNameMixin, forms.ModelForm):
    class Meta:
        model = WorkingGroup
        fields = ["name", "code", "purpose", "members", "established_on"]
        widgets = {"members": forms.CheckboxSelectMultiple, "established_on": DateInput}
        help_texts = {"code": _("A stable identifier; left empty, it is made from the name.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False


class MeetingForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Meeting
        fields = [
            "title",
            "held_on",
            "working_group",
            "organisations",
            "attendees",
            "agenda",
            "minutes",
            "outcome",
        ]
        widgets = {
            "held_on": DateInput,
            "organisations": forms.CheckboxSelectMultiple,
            "attendees": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "held_on": _("Leave empty when the date is not known."),
            "attendees": _("Each person's organisation must be among those present."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = _contacts()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.Meta.fields}


class RecommendationForm(VersionedFormMixin, forms.ModelForm):
    """A recommendation's details; the response is set on its own page."""

    topics = TopicField(
        label=_("Concerns topics"),
        queryset=_topics(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Support staff on these topics' queues see the recommendation."),
    )

    class Meta:
        model = Recommendation
        fields = ["organisation", "meeting", "received_on", "text", "topics"]
        widgets = {"received_on": DateInput}
        help_texts = {"received_on": _("Defaults to the meeting's date.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topics"].queryset = _topics()

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in self.Meta.fields if name != "organisation"}


class NewRecommendationForm(RecommendationForm):
    """Recording a recommendation, optionally with the response already known."""

    class Meta(RecommendationForm.Meta):
        fields = [*RecommendationForm.Meta.fields, "status", "response", "rationale"]
        widgets = {**RecommendationForm.Meta.widgets, "status": forms.RadioSelect}


class MeetingRecommendationForm(NewRecommendationForm):
    """Adding a recommendation from a meeting's page: the meeting is fixed."""

    class Meta(NewRecommendationForm.Meta):
        fields = ["organisation", "text", "topics", "status", "response", "rationale"]

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.meeting = meeting
        self.instance.meeting = meeting
        self.fields["organisation"].queryset = meeting.organisations.all()
        self.fields["organisation"].help_text = _("Only organisations present at the meeting.")

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "meeting": self.meeting,
            "received_on": self.meeting.held_on,
            **{name: data[name] for name in self.Meta.fields if name != "organisation"},
        }


class RespondForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Recommendation
        fields = ["status", "response", "rationale"]
        widgets = {"status": forms.RadioSelect}
        help_texts = {
            "rationale": _("Required when the recommendation is already addressed or declined."),
        }


class FollowUpForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = [
            "subject",
            "waiting_organisation",
            "waiting_user",
            "awaited_organisation",
            "awaited_contact",
            "since_on",
            "expected_on",
            "meeting",
            "recommendation",
            "notes",
        ]
        widgets = {"since_on": DateInput, "expected_on": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["waiting_user"] = staff_field(self.fields["waiting_user"])
        self.fields["awaited_contact"].queryset = _contacts()
        self.fields["recommendation"].queryset = Recommendation.objects.select_related(
            "organisation"
        )
        if not self.instance.pk:
            self.initial.setdefault("since_on", timezone.localdate())

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ResolveFollowUpForm(forms.Form):
    resolved_on = forms.DateField(label=_("Received on"), widget=DateInput)
    note = forms.CharField(
        label=_("What was received"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("resolved_on", timezone.localdate())


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        max_length=500,
        help_text=_("PDF, Word (DOCX), Excel (XLSX), OpenDocument (ODT), text, PNG or JPEG."),
    )
