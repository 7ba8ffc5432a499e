"""Forms for the action pages; the views pass what they clean to the services."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.due import Due, parse_due, year_assumed
from actions.models import Action, ActionUpdate, Kpi, KpiReading, Theme
from actions.services import CREATE_STATUSES, allowed_transitions
from analytics.models import PatternAlert
from enquiries.models import Category, Queue, Topic
from nemid_cases.versioning import VersionedFormMixin
from stakeholders.models import Contact, Meeting, Organisation, Recommendation


class DescribedByMixin:
    """Link each widget to its help text and error (aria-describedby).

    The ids match those templates/includes/field.html writes.
    """

    def _link_descriptions(self) -> None:
        for name, field in self.fields.items():
            bound = self[name]
            ids = []
            if field.help_text:
                ids.append(f"{bound.auto_id}_helptext")
            if self.is_bound and name in self.errors:
                ids.append(f"{bound.auto_id}_error")
                field.widget.attrs["aria-invalid"] = "true"
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self) -> None:
        super().full_clean()
        self._link_descriptions()

    def add_error(self, field, error) -> None:
        super().add_error(field, error)
        self._link_descriptions()


class DueField(forms.CharField):
    """The due phrase as typed; cleaning checks it parses (to the phrase)."""

    def __init__(self, *, preview: str = "#due-preview", **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Due"))
        kwargs.setdefault(
            "help_text",
            _(
                "As the report writes it: “17. november 2010”, “medio januar 2011”, "
                "“uge 47 2010”, “1. kvartal 2011”, “foråret 2011”, “primo 2011”, “2011” "
                "or “snarest muligt”. English works too."
            ),
        )
        super().__init__(**kwargs)
        # Shows what the phrase reads as while the user types (htmx).
        self.widget.attrs.update(
            {
                "hx-get": reverse_lazy("actions:due-preview"),
                "hx-trigger": "input changed delay:400ms",
                "hx-target": preview,
                "hx-sync": "this:replace",
                "autocomplete": "off",
            }
        )

    def validate(self, value: str) -> None:
        super().validate(value)
        if value:
            parse_due(value)


def parsed_due(phrase: str) -> Due | None:
    """The range a phrase reads as, or None when it does not parse."""
    try:
        return parse_due(phrase)
    except forms.ValidationError:
        return None


class TopicChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        return f"{obj.queue.name} › {obj.name}"


class CategoryChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Category) -> str:
        return obj.label


class RecommendationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Recommendation) -> str:
        text = obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"
        return f"{obj.organisation.short_name or obj.organisation.name}: {text}"


class ResponsibleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Contact) -> str:
        organisation = obj.organisation.short_name or obj.organisation.name
        return f"{obj.name} ({organisation})"


def visible_topics(user) -> QuerySet:
    return Topic.objects.filter(queue__in=Queue.objects.visible_to(user)).select_related("queue")


def visible_categories(user) -> QuerySet:
    return Category.objects.filter(topic__queue__in=Queue.objects.visible_to(user)).select_related(
        "topic"
    )


def answerable_alerts(user) -> QuerySet:
    """Open pattern alerts the user may answer with an action."""
    if not user.has_perm("analytics.change_patternalert"):
        return PatternAlert.objects.none()
    return PatternAlert.objects.visible_to(user).open().select_related("topic", "category")


class ActionForm(VersionedFormMixin, DescribedByMixin, forms.ModelForm):
    """Create or edit an action; origins are limited to what the user sees."""

    due_phrase = DueField()
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s, Action.Status(s).label) for s in CREATE_STATUSES],
        initial=Action.Status.PROPOSED,
    )

    class Meta:
        model = Action
        fields = [
            "title",
            "description",
            "theme",
            "owner",
            "responsible",
            "status",
            "due_phrase",
            "origin_recommendations",
            "origin_meetings",
            "origin_topics",
            "origin_categories",
            "follows_up",
        ]
        field_classes = {
            "origin_topics": TopicChoiceField,
            "origin_categories": CategoryChoiceField,
            "origin_recommendations": RecommendationChoiceField,
            "responsible": ResponsibleChoiceField,
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}

    # A new action may answer an open pattern alert (the alert's page links
    # here with ?alert=); saving records the alert as acted on.
    alert = forms.ModelChoiceField(
        label=_("Pattern alert"),
        queryset=PatternAlert.objects.none(),
        required=False,
        widget=forms.HiddenInput,
        error_messages={
            "invalid_choice": _("This pattern alert is decided already, or not yours to decide.")
        },
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        creating = self.instance.pk is None
        if not creating:
            del self.fields["status"]
            del self.fields["alert"]
        else:
            self.fields["alert"].queryset = answerable_alerts(user)
        f = self.fields
        f["theme"].queryset = Theme.objects.filter(is_active=True) | Theme.objects.filter(
            pk=self.instance.theme_id
        )
        f["owner"].queryset = Organisation.objects.visible_to(user)
        f["responsible"].queryset = Contact.objects.visible_to(user).select_related("organisation")
        f["origin_recommendations"].queryset = Recommendation.objects.visible_to(
            user
        ).select_related("organisation")
        f["origin_meetings"].queryset = Meeting.objects.visible_to(user)
        f["origin_topics"].queryset = visible_topics(user)
        f["origin_categories"].queryset = visible_categories(user)
        follows = Action.objects.visible_to(user).select_related("owner")
        if not creating:
            follows = follows.exclude(pk=self.instance.pk)
        f["follows_up"].queryset = follows
        f["follows_up"].help_text = _("Fill in when this action continues an earlier one.")
        for name in ("origin_recommendations", "origin_meetings", "origin_topics"):
            f[name].widget.attrs["size"] = 6
        f["origin_categories"].widget.attrs["size"] = 8
        f["origin_topics"].help_text = _(
            "Patterns in the enquiries this action answers. Ctrl-click to choose several."
        )

    def _post_clean(self) -> None:
        # The services validate the model and save it with its timeline.
        pass

    @property
    def due_phrase_typed(self) -> str:
        if self.is_bound:
            phrase = self.data.get(self.add_prefix("due_phrase"), "")
        else:
            phrase = self.initial.get("due_phrase", self.instance.due_phrase)
        return phrase if phrase and "\x00" not in phrase else ""

    @property
    def due_preview(self) -> Due | None:
        """The parsed range of the phrase typed, to show back to the user."""
        phrase = self.due_phrase_typed
        return parsed_due(phrase) if phrase else None

    @property
    def due_year_assumed(self) -> bool:
        """The phrase names no year: the preview says which one was taken."""
        phrase = self.due_phrase_typed
        return bool(phrase) and year_assumed(phrase)


class StatusForm(DescribedByMixin, forms.Form):
    """Change an action's status; found insufficient needs a follow-up."""

    status = forms.ChoiceField(label=_("New status"))
    note = forms.CharField(
        label=_("Note"), required=False, max_length=20000, widget=forms.Textarea(attrs={"rows": 3})
    )
    completed_on = forms.DateField(
        label=_("Completed on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For done: the day it was completed (today if empty)."),
    )
    follow_up = forms.ModelChoiceField(
        label=_("Existing follow-up action"),
        queryset=Action.objects.none(),
        required=False,
        help_text=_("For found insufficient: the action that takes over, or describe a new one."),
    )
    follow_up_title = forms.CharField(
        label=_("New follow-up: title"), required=False, max_length=200
    )
    follow_up_due_phrase = DueField(label=_("New follow-up: due"), preview="#follow-up-due-preview")
    follow_up_owner = forms.ModelChoiceField(
        label=_("New follow-up: owner"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Empty: the same owner as this action."),
    )

    def __init__(self, *args, action: Action, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.action = action
        self.fields["status"].choices = [
            (s, Action.Status(s).label) for s in allowed_transitions(action)
        ]
        self.fields["follow_up"].queryset = (
            Action.objects.visible_to(user)
            .exclude(pk=action.pk)
            .filter(follows_up__isnull=True)
            .select_related("owner")
        )
        self.fields["follow_up_owner"].queryset = Organisation.objects.visible_to(user)


class ProgressUpdateForm(DescribedByMixin, forms.ModelForm):
    class Meta:
        model = ActionUpdate
        fields = ["written_on", "text"]
        widgets = {
            "written_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "text": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["written_on"].initial = timezone.localdate

    def _post_clean(self) -> None:
        # The service validates and saves; the model is not built here.
        pass


class KpiForm(DescribedByMixin, forms.ModelForm):
    class Meta:
        model = Kpi
        fields = ["metric", "unit", "baseline", "target"]

    def _post_clean(self) -> None:
        pass


class KpiReadingForm(DescribedByMixin, forms.ModelForm):
    class Meta:
        model = KpiReading
        fields = ["measured_on", "value", "note"]
        widgets = {"measured_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measured_on"].initial = timezone.localdate

    def _post_clean(self) -> None:
        pass
