"""A type-ahead for long choice lists: options come from the API as one types.

NetBox's APISelect pattern. A page renders only the chosen value, never the
hundreds of options (every member of staff, every category);
`static/js/typeahead.js` turns the text box into a WAI-ARIA combobox that
asks an API list route (`?q=` plus the field's parameters) and sends the
chosen row's id. Without JavaScript the box is plain text: the field reads
an id, the row's key (a username) or enough of its name, and otherwise says
which rows match or that none does.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

# Rows named in an "ambiguous" error; the picker shows the rest.
AMBIGUOUS_SHOWN = 5


class Chosen(str):
    """A field's value for the widget: what the form sends, plus what to show.

    As a string it is the chosen row's id (or a fixed choice), or the text
    typed that matched nothing. `text` goes into the text box (the row's
    key, readable without JavaScript), `label` is what the combobox shows;
    `resolved` says whether the value names a choice.
    """

    text: str
    label: str
    resolved: bool

    def __new__(cls, value: Any, *, text: str, label: str, resolved: bool = True) -> Chosen:
        chosen = super().__new__(cls, value)
        chosen.text, chosen.label, chosen.resolved = text, label, resolved
        return chosen


class TypeaheadInput(forms.TextInput):
    """A text box that static/js/typeahead.js turns into a combobox.

    `params` are sent with every search: a value, or "#element-id" for the
    current value of another control (the form's queue, say); a change of
    that control re-checks the choice. `choices` are fixed options shown
    above the results, such as "Unassigned".
    """

    def __init__(
        self,
        *,
        source: str = "",
        params: dict[str, str] | None = None,
        static_choices: Sequence[tuple[str, str]] = (),
        placeholder: str = "",
        label_key: str = "label",
        messages: dict[str, str] | None = None,
        attrs: dict | None = None,
    ):
        super().__init__(attrs)
        self.source = source
        self.params = params or {}
        self.static_choices = list(static_choices)
        self.placeholder = placeholder
        self.label_key = label_key
        self.messages = messages or {}

    def format_value(self, value):
        if isinstance(value, Chosen):
            return value.text
        return super().format_value(value)

    def get_context(self, name: str, value, attrs) -> dict:
        context = super().get_context(name, value, attrs)
        chosen = value if isinstance(value, Chosen) else None
        messages = {**DEFAULT_MESSAGES, **self.messages}
        context["widget"]["attrs"].update(
            {
                "autocomplete": "off",
                "spellcheck": "false",
                "data-typeahead": str(self.source),
                "data-typeahead-params": json.dumps(self.params),
                "data-typeahead-choices": json.dumps(
                    [[str(key), str(text)] for key, text in self.static_choices]
                ),
                "data-typeahead-value": str(chosen) if chosen and chosen.resolved else "",
                "data-typeahead-label": chosen.label if chosen and chosen.resolved else "",
                "data-typeahead-label-key": self.label_key,
                "data-typeahead-messages": json.dumps(
                    {key: str(text) for key, text in messages.items()}
                ),
            }
        )
        if self.placeholder:
            context["widget"]["attrs"]["placeholder"] = str(self.placeholder)
        return context


# What the combobox announces; {count}, {shown} and {label} are filled in.
DEFAULT_MESSAGES = {
    "results": _("{count} matches: choose with the arrow keys and Enter."),
    "one": _("1 match: press Enter to choose it."),
    "none": _("Nothing matches. Type something else."),
    "more": _("The first {shown} of {count} matches: type more to narrow the list."),
    "loading": _("Searching…"),
    "failed": _("The list could not be loaded. Type the exact name and save."),
    "cleared": _("“{label}” does not fit this choice and was removed. Choose again."),
}


class TypeaheadChoiceField(forms.ModelChoiceField):
    """A model choice typed or picked, for lists too long to render.

    Subclasses say how a row is keyed (`key_of`), labelled
    (`label_from_instance`) and searched (`search`). `static_choices` are
    (value, label) pairs returned as the value itself, matched by value or
    label, e.g. ("none", "Nobody").
    """

    widget = TypeaheadInput
    default_error_messages = {
        "not_found": _("Nothing called “%(text)s” can be chosen here. Choose from the list."),
        "ambiguous": _(
            "“%(text)s” fits several: %(names)s. Choose one from the list, or type more."
        ),
    }

    def __init__(
        self,
        queryset: QuerySet,
        *,
        source: str = "",
        params: dict[str, str] | None = None,
        static_choices: Sequence[tuple[str, str]] = (),
        placeholder: str = "",
        messages: dict[str, str] | None = None,
        label_key: str = "label",
        **kwargs,
    ):
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault(
            "widget",
            TypeaheadInput(
                source=source,
                params=params,
                static_choices=static_choices,
                placeholder=placeholder,
                label_key=label_key,
                messages=messages,
            ),
        )
        self.static_choices = list(static_choices)
        super().__init__(queryset, **kwargs)

    def key_of(self, obj: Model) -> str:
        """What the text box shows for a chosen row (typed back, it finds it)."""
        return self.label_from_instance(obj)

    def search(self, queryset: QuerySet, text: str) -> QuerySet:
        raise NotImplementedError

    def clean_text(self, text: str) -> str:
        """Typed text as it may be searched and shown back (e.g. no CPR numbers)."""
        return text

    def exact(self, queryset: QuerySet, text: str) -> QuerySet:
        """Rows whose key is exactly `text`; by default, none."""
        return queryset.none()

    def _static(self, text: str) -> str | None:
        folded = text.casefold()
        for value, label in self.static_choices:
            if text == str(value) or folded == str(label).casefold():
                return str(value)
        return None

    def _find(self, text: str) -> list[Model]:
        if text.isascii() and text.isdigit() and len(text) <= 18:
            by_id = list(self.queryset.filter(pk=int(text))[:1])
            if by_id:
                return by_id
        exact = list(self.exact(self.queryset, text)[:2])
        if len(exact) == 1:
            return exact
        folded = text.casefold()
        labelled = [obj for obj in exact if self.label_from_instance(obj).casefold() == folded]
        if labelled:
            return labelled
        return list(self.search(self.queryset, text)[: AMBIGUOUS_SHOWN + 1])

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, Model):
            return value
        text = self.clean_text(str(value)).strip()
        if not text:
            return None
        static = self._static(text)
        if static is not None:
            return static
        ProhibitNullCharactersValidator()(text)
        found = self._find(text[:200])
        if len(found) == 1:
            return found[0]
        if not found:
            raise ValidationError(
                self.error_messages["not_found"], code="invalid_choice", params={"text": text}
            )
        names = "; ".join(self.label_from_instance(obj) for obj in found[:AMBIGUOUS_SHOWN])
        if len(found) > AMBIGUOUS_SHOWN:
            names += " …"
        raise ValidationError(
            self.error_messages["ambiguous"],
            code="invalid_choice",
            params={"text": text, "names": names},
        )

    def has_changed(self, initial, data) -> bool:
        if self.disabled:
            return False
        try:
            return _identity(self.to_python(initial)) != _identity(self.to_python(data))
        except ValidationError:
            return True

    def prepare_value(self, value):
        """A Chosen for the widget: the id, the key to type, the label."""
        if value in self.empty_values:
            return ""
        if isinstance(value, Chosen):
            return value
        if isinstance(value, Model):
            return Chosen(value.pk, text=self.key_of(value), label=self.label_from_instance(value))
        text = self.clean_text(str(value))
        static = self._static(text)
        if static is not None:
            label = next(str(lbl) for key, lbl in self.static_choices if str(key) == static)
            return Chosen(static, text=label, label=label)
        try:
            obj = self.to_python(text)
        except ValidationError:
            # What was typed, kept for the person to correct (bar NULs).
            text = text.replace("\x00", "")
            return Chosen(text, text=text, label=text, resolved=False)
        return self.prepare_value(obj)


def _identity(value) -> Any:
    return value.pk if isinstance(value, Model) else value
