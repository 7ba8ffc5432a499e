"""Forms of the known-problem pages; writes go through problems.services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from enquiries.models import Category, Topic
from nemid_cases.versioning import VersionedFormMixin
from problems.models import KnownProblem


class KnownProblemForm(VersionedFormMixin, forms.ModelForm):
    """Record or edit a known problem; the category must be of the topic."""

    class Meta:
        model = KnownProblem
        fields = ["title", "description", "topic", "category", "workaround", "is_auto_link"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "workaround": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["topic"].queryset = Topic.objects.filter(is_active=True).select_related("queue")
        self.fields["category"].queryset = Category.objects.active().select_related("topic")

    def clean(self):
        cleaned = super().clean()
        topic, category = cleaned.get("topic"), cleaned.get("category")
        if category is not None and topic is not None and category.topic_id != topic.pk:
            self.add_error("category", _("The category belongs to another topic."))
        if category is not None and topic is None:
            cleaned["topic"] = category.topic
            self.instance.topic = category.topic
        if cleaned.get("is_auto_link") and category is None:
            self.add_error("is_auto_link", _("Choose the category whose enquiries are linked."))
        return cleaned


class ProblemChoiceForm(forms.Form):
    """Pick an open known problem (the enquiry page and the list's bulk link)."""

    problem = forms.ModelChoiceField(
        label=_("Known problem"), queryset=KnownProblem.objects.open().order_by("title")
    )


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        help_text=_("Written on every enquiry that has no resolution of its own."),
    )
