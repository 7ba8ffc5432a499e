from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from enquiries.models import Category

VERSION_FIELDS = ("title_da", "body_da", "answer_da", "title_en", "body_en", "answer_en")


class ArticleVersionForm(forms.Form):
    title_da = forms.CharField(label=_("Danish title"), max_length=200)
    body_da = forms.CharField(
        label=_("Danish text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10})
    )
    answer_da = forms.CharField(
        label=_("Danish answer"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The text an agent inserts into a reply; empty: the whole text."),
    )
    title_en = forms.CharField(label=_("English title"), max_length=200)
    body_en = forms.CharField(
        label=_("English text"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10})
    )
    answer_en = forms.CharField(
        label=_("English answer"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def version_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in VERSION_FIELDS}


class NewArticleForm(ArticleVersionForm):
    key = forms.SlugField(
        label=_("Key"), max_length=80, help_text=_("A stable key, e.g. temporary-password.")
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.active().select_related("topic"),
        required=False,
    )
    is_public = forms.BooleanField(label=_("May also be shown to citizens"), required=False)

    field_order = ["key", "category", "is_public", *VERSION_FIELDS]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].label_from_instance = lambda c: c.label


class SuggestForm(forms.Form):
    """What the agent has typed or picked so far (GET, from the form)."""

    subject = forms.CharField(required=False, max_length=300)
    category = forms.ModelChoiceField(queryset=Category.objects.all(), required=False)
    language = forms.CharField(required=False, max_length=5)
    enquiry = forms.CharField(required=False, max_length=40)


class UseForm(forms.Form):
    article = forms.SlugField(required=False, max_length=80)
    template = forms.SlugField(required=False, max_length=80)
    category = forms.ModelChoiceField(queryset=Category.objects.all(), required=False)
    enquiry = forms.CharField(required=False, max_length=40)
