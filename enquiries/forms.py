"""Forms of the agent-facing enquiry pages.

Forms parse and validate what a person typed; every state change goes
through enquiries.services. A form's `save` only calls its service: the
view (nemid_cases.views.ServiceFormView) runs it in a transaction and puts
a refusal on the form's fields, so a page re-renders with the message and
every typed value.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from enquiries import cpr, services
from enquiries.fields import CategoryField, PersonField, strip_cpr
from enquiries.filtersets import EnquiryFilterSet
from enquiries.models import (
    Category,
    Channel,
    Citizen,
    Enquiry,
    EnquiryEvent,
    Queue,
    SavedFilter,
    Topic,
    normalize_phone,
)
from enquiries.people import assignable_people, unassignable
from nemid_cases import idempotency
from nemid_cases.moments import MomentFormField, check_received_at
from nemid_cases.versioning import VersionedFormMixin

Status = Enquiry.Status
TEXT_MAX = 20000


def filter_query(data: QueryDict, *, without: tuple[str, ...] = ()) -> str:
    """The enquiry list's filters as a query string: no page, no CPR."""
    clean = QueryDict(mutable=True)
    for name in EnquiryFilterSet.base_filters:
        if name in without:
            continue
        values = data.getlist(name)
        if name == "q":
            values = [strip_cpr(value) for value in values]
        values = [value for value in values if value]
        if values:
            clean.setlist(name, values)
    return clean.urlencode()


def typed_values(data: QueryDict, form_class: type[forms.Form], prefix: str = "") -> dict:
    """What was typed into a form, as initial values for an unbound copy."""
    values: dict[str, Any] = {}
    for name, field in form_class.base_fields.items():
        key = f"{prefix}-{name}" if prefix else name
        if key in data:
            multiple = getattr(field.widget, "allow_multiple_selected", False)
            values[name] = data.getlist(key) if multiple else data.get(key)
    return values


def active_categories(queues: QuerySet[Queue], *, keep: Category | None = None) -> QuerySet:
    """Categories to choose from; `keep` stays even if it has been retired."""
    choosable = Q(is_active=True, topic__is_active=True)
    if keep is not None:
        choosable |= Q(pk=keep.pk)
    return Category.objects.filter(choosable, topic__queue__in=queues).select_related(
        "topic__queue"
    )


class TopicMultipleChoiceField(forms.ModelMultipleChoiceField):
    with_queue = False

    def label_from_instance(self, obj: Topic) -> str:
        return f"{obj.queue.name}: {obj.name}" if self.with_queue else obj.name


class QueueTaggedCheckboxes(forms.CheckboxSelectMultiple):
    """Topics carry data-queue, so the page can show one queue's taxonomy."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if isinstance(instance, Topic):
            option["attrs"]["data-queue"] = instance.queue_id
        return option


class QueueSelect(forms.Select):
    """Queues carry their default channel, for the log form to follow."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if isinstance(instance, Queue):
            option["attrs"]["data-channel"] = instance.default_channel
        return option


class TaxonomyFieldsMixin:
    """Queue, the category type-ahead (of the queue chosen) and further topics."""

    def setup_taxonomy(self, queues: QuerySet[Queue], *, keep: Category | None = None) -> None:
        several = self.several_queues = queues.count() > 1
        self.fields["queue"].queryset = queues
        category = self.fields["category"]
        category.queryset = active_categories(queues, keep=keep)
        category.set_several_queues(several)
        category.widget.params = {**category.widget.params, "queue": f"#{self['queue'].auto_id}"}
        self.fields["additional_topics"].queryset = Topic.objects.filter(
            Q(is_active=True) | Q(pk__in=self.initial.get("additional_topics", [])),
            queue__in=queues,
        ).select_related("queue")
        self.fields["additional_topics"].with_queue = several


def _category_field() -> CategoryField:
    return CategoryField(label=_("Category"), required=False, placeholder=_("No category yet"))


def _topics_field() -> TopicMultipleChoiceField:
    return TopicMultipleChoiceField(
        label=_("Further topics"),
        queryset=Topic.objects.none(),
        required=False,
        help_text=_("Other topics the citizen raises; each counts in the statistics."),
        widget=QueueTaggedCheckboxes,
    )


class CitizenForm(VersionedFormMixin, forms.ModelForm):
    """A citizen's facts; the CPR number is typed here and stored encrypted."""

    cpr = forms.CharField(
        label=_("CPR number"),
        required=False,
        max_length=20,
        help_text=_("Ten digits, DDMMYY-XXXX."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )
    address = forms.CharField(
        label=_("Address"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Citizen
        fields = [
            "name",
            "cpr",
            "phone",
            "email",
            "address",
            "needs_large_print",
            "needs_blind_solution",
            "needs_sign_language",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "off"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
            "email": forms.EmailInput(attrs={"autocomplete": "off"}),
        }

    NEEDS = ("needs_large_print", "needs_blind_solution", "needs_sign_language")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.cpr_masked:
            self.fields["cpr"].help_text = _(
                "Recorded: %(masked)s. Leave empty to keep it; type a number to replace it."
            ) % {"masked": self.instance.cpr_masked}

    def clean_cpr(self) -> str:
        value = self.cleaned_data["cpr"]
        if not value.strip():
            return ""
        digits = cpr.normalize_cpr(value)
        taken = Citizen.objects.with_cpr(digits)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(
                _("A citizen with this CPR number is already registered. Find them instead."),
                code="taken",
            )
        return digits

    def needs_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.NEEDS]

    def contact_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.fields if name not in (*self.NEEDS, "version")]

    def save(self, commit: bool = True) -> Citizen:
        citizen = super().save(commit=False)
        if self.cleaned_data.get("cpr"):
            citizen.set_cpr(self.cleaned_data["cpr"])
        if commit:
            citizen.save()
        return citizen

    def save_safely(self) -> Citizen | None:
        """Save, or report a CPR number registered meanwhile by someone else."""
        try:
            with transaction.atomic():
                return self.save()
        except IntegrityError:
            self.add_error("cpr", _("A citizen with this CPR number is already registered."))
            return None


class EnquiryCreateForm(TaxonomyFieldsMixin, forms.Form):
    """The "log enquiry" form, with look-up or inline registration of the citizen.

    `citizen_choice` is "none", "new" (register from `citizen_form`) or the
    id of a citizen found by the look-up.
    """

    NO_CITIZEN = "none"
    NEW_CITIZEN = "new"

    citizen_query = forms.CharField(
        label=_("Find citizen"),
        required=False,
        max_length=100,
        help_text=_("CPR number, name or phone number, then Enter."),
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off", "autofocus": True}),
    )
    citizen_choice = forms.CharField(label=_("Citizen"), required=False, max_length=18)
    # Made when the form is shown and sent back with it: a second send of
    # the same form (a double click, "Save again" after an answer that was
    # lost) finds the first one's enquiry instead of logging another.
    idempotency_key = forms.CharField(
        required=False, max_length=255, widget=forms.HiddenInput, initial=idempotency.new_key
    )
    queue = forms.ModelChoiceField(
        label=_("Queue"), queryset=Queue.objects.none(), widget=QueueSelect
    )
    subject = forms.CharField(
        label=_("Subject"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    category = _category_field()
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    additional_topics = _topics_field()
    priority = forms.TypedChoiceField(
        label=_("Priority"),
        choices=Enquiry.Priority.choices,
        coerce=int,
        initial=Enquiry.Priority.NORMAL,
    )
    channel = forms.ChoiceField(
        label=_("Channel"),
        choices=Channel.choices,
        help_text=_("Follows the queue until you choose one."),
    )
    received_at = MomentFormField(
        check=check_received_at,
        label=_("Received"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    language = forms.ChoiceField(
        label=_("Language"), choices=Enquiry.Language.choices, initial=Enquiry.Language.DA
    )
    assignee = PersonField(label=_("Assignee"), required=False, placeholder=_("Unassigned"))
    resolve_now = forms.BooleanField(
        label=_("Resolved during the call"),
        required=False,
        help_text=_("Saves the enquiry as resolved, with the resolution below."),
    )
    resolution = forms.CharField(
        label=_("Resolution"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        queues = Queue.objects.visible_to(user).select_related("team")
        self.setup_taxonomy(queues)
        assignee = self.fields["assignee"]
        assignee.queryset = assignable_people(user)
        assignee.widget.params = {"queue": f"#{self['queue'].auto_id}"}
        self.can_see_citizens = user.has_perm("enquiries.view_citizen")
        self.can_add_citizens = user.has_perm("enquiries.add_citizen")
        if not self.is_bound:
            home = next((q for q in queues if user.team_id and q.team_id == user.team_id), None)
            home = home or queues.first()
            self.initial.setdefault("queue", home)
            self.initial.setdefault("channel", home.default_channel if home else Channel.PHONE)
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )
            mine = home and User.objects.assignable_for(home).filter(pk=user.pk).exists()
            if mine and user.has_perm("enquiries.change_enquiry"):
                self.initial.setdefault("assignee", user)
            self.initial.setdefault("citizen_choice", self.NO_CITIZEN)
        # Bound only when the citizen is registered here; otherwise it just
        # shows what was typed, without errors for fields nobody needs.
        if self.is_bound and self.wants_new_citizen:
            self.citizen_form = CitizenForm(self.data, prefix="citizen")
        else:
            self.citizen_form = CitizenForm(
                initial=typed_values(self.data, CitizenForm, "citizen"), prefix="citizen"
            )

    @classmethod
    def showing(cls, data: QueryDict, *, user: User) -> EnquiryCreateForm:
        """An unbound copy showing what was typed, without any errors yet."""
        form = cls(initial=typed_values(data, cls), user=user)
        form.citizen_form = CitizenForm(
            initial=typed_values(data, CitizenForm, "citizen"), prefix="citizen"
        )
        if form.offers_registration:
            # Nobody found: registering the caller is the next step.
            form.fields["citizen_query"].widget.attrs.pop("autofocus", None)
        return form

    @property
    def offers_registration(self) -> bool:
        """A look-up of valid text found nobody, and the user may register."""
        typed = (self["citizen_query"].value() or "").strip()
        return bool(
            typed
            and self.can_add_citizens
            and self.lookup_form.is_valid()
            and not [c for c in self.matches if str(c.pk) != self.chosen_citizen_id]
        )

    @property
    def wants_new_citizen(self) -> bool:
        return self.data.get("citizen_choice") == self.NEW_CITIZEN

    @property
    def chosen_citizen_id(self) -> str:
        return str(self["citizen_choice"].value() or self.NO_CITIZEN)

    @cached_property
    def lookup_form(self) -> CitizenSearchForm:
        """The look-up text checked as the look-up checks it."""
        form = CitizenSearchForm({"q": self["citizen_query"].value() or ""})
        form.is_valid()
        return form

    @cached_property
    def matches(self) -> list[Citizen]:
        """The look-up's results, plus the citizen already chosen."""
        if not self.can_see_citizens:
            return []
        lookup = self.lookup_form
        found = citizen_matches(self.user, lookup.cleaned_data["q"]) if lookup.is_valid() else []
        chosen = self.chosen_citizen_id
        if chosen.isdigit() and all(str(c.pk) != chosen for c in found):
            found = list(Citizen.objects.visible_to(self.user).filter(pk=chosen)) + found
        return found

    def clean_citizen_choice(self) -> Citizen | str | None:
        value = self.cleaned_data["citizen_choice"].strip()
        if value in ("", self.NO_CITIZEN):
            return None
        if value == self.NEW_CITIZEN and self.can_add_citizens:
            return self.NEW_CITIZEN
        if value.isascii() and value.isdigit():
            citizen = Citizen.objects.visible_to(self.user).filter(pk=int(value)).first()
            if citizen is not None:
                return citizen
        raise ValidationError(_("Choose a citizen from the look-up, or register a new one."))

    def clean(self) -> dict:
        cleaned = super().clean()
        queue, assignee = cleaned.get("queue"), cleaned.get("assignee")
        if queue and assignee and not User.objects.assignable_for(queue).filter(pk=assignee.pk):
            self.add_error(
                "assignee",
                _("%(user)s cannot be given enquiries of the queue %(queue)s.")
                % {"user": assignee, "queue": queue},
            )
        unresolved = cleaned.get("resolve_now") and not (cleaned.get("resolution") or "").strip()
        if unresolved and "resolution" not in self.errors:
            self.add_error("resolution", _("Describe the resolution to resolve at once."))
        return cleaned

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if self.wants_new_citizen:
            valid = self.citizen_form.is_valid() and valid
        return valid

    def log_kwargs(self) -> dict[str, Any]:
        """The arguments of services.log_enquiry: a citizen to register comes
        unsaved, and "resolved during the call" as the resolution."""
        data = self.cleaned_data
        citizen = data["citizen_choice"]
        if citizen == self.NEW_CITIZEN:
            citizen = self.citizen_form.save(commit=False)
        names = ("subject", "channel", "received_at", "description", "category")
        names += ("additional_topics", "priority", "language", "assignee")
        return {
            **{name: data[name] for name in names},
            "citizen": citizen,
            "resolution": data["resolution"] if data["resolve_now"] else "",
        }


def citizen_matches(user: User, text: str, limit: int = 20) -> list[Citizen]:
    """Citizens matching a look-up text (CPR number, phone or name).

    Across teams only by exact CPR or phone number, logged (services).
    """
    return services.look_up_citizens(text, by=user, limit=limit)


class CitizenSearchForm(forms.Form):
    q = forms.CharField(
        label=_("CPR number, name or phone number"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def clean_q(self) -> str:
        """Refuse a CPR-shaped number that cannot be one, rather than find nobody."""
        text = self.cleaned_data["q"].strip()
        is_phone = len(normalize_phone(text)) == 8
        if cpr.CPR_PATTERN.match(text) and not is_phone:
            try:
                cpr.normalize_cpr(text)
            except ValidationError as error:
                raise ValidationError(
                    _("This is not a valid CPR number: %(reason)s")
                    % {"reason": " ".join(error.messages)},
                    code="invalid_cpr",
                ) from None
        return text


class EnquiryEditForm(VersionedFormMixin, TaxonomyFieldsMixin, forms.Form):
    """Classification and wording of an existing enquiry."""

    queue = forms.ModelChoiceField(label=_("Queue"), queryset=Queue.objects.none())
    subject = forms.CharField(label=_("Subject"), max_length=200)
    category = _category_field()
    additional_topics = _topics_field()
    priority = forms.TypedChoiceField(
        label=_("Priority"), choices=Enquiry.Priority.choices, coerce=int
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    SERVICE_FIELDS = (
        "queue",
        "subject",
        "category",
        "additional_topics",
        "priority",
        "description",
    )

    def __init__(self, *args, enquiry: Enquiry, user: User, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "queue": enquiry.queue_id,
                "subject": enquiry.subject,
                "category": enquiry.category_id,
                "additional_topics": [t.pk for t in enquiry.additional_topics.all()],
                "priority": enquiry.priority,
                "description": enquiry.description,
            },
        )
        self.enquiry = enquiry
        super().__init__(*args, **kwargs)
        self.setup_taxonomy(
            Queue.objects.visible_to(user) | Queue.objects.filter(pk=enquiry.queue_id),
            keep=enquiry.category,
        )

    def versioned_row(self) -> Enquiry:
        return self.enquiry

    def save(self, *, by: User) -> list[str] | None:
        changes = {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in self.SERVICE_FIELDS
        }
        if not changes:
            return []
        return services.update_enquiry(self.enquiry, by=by, changes=changes)


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def save(self, enquiry: Enquiry, *, by: User) -> EnquiryEvent:
        return services.add_note(enquiry, by=by, text=self.cleaned_data["text"])


class TransitionForm(forms.Form):
    """A status change; the service decides which ones are allowed."""

    status = forms.ChoiceField(label=_("New status"), choices=Status.choices)
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    resolution = forms.CharField(
        label=_("Resolution"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to resolve: what was done or answered."),
    )

    def __init__(self, *args, enquiry: Enquiry, **kwargs):
        kwargs.setdefault("initial", {"resolution": enquiry.resolution})
        super().__init__(*args, **kwargs)
        self.enquiry = enquiry

    def actions(self) -> list[tuple[str, str]]:
        """(status, button label) for each transition the workflow allows now."""
        labels = {
            Status.TRIAGED: _("Mark as triaged"),
            Status.IN_PROGRESS: _("Reopen") if not self.enquiry.is_open else _("Start work"),
            Status.WAITING: _("Wait for the citizen"),
            Status.RESOLVED: _("Resolve"),
            Status.CLOSED: _("Close"),
        }
        return [(status, labels[status]) for status in services.allowed_transitions(self.enquiry)]

    @property
    def can_resolve(self) -> bool:
        return Status.RESOLVED in services.allowed_transitions(self.enquiry)

    def save(self, *, by: User) -> Enquiry:
        data = self.cleaned_data
        return services.transition_enquiry(
            self.enquiry,
            to=data["status"],
            by=by,
            note=data["note"].strip(),
            resolution=data["resolution"] if data["status"] == Status.RESOLVED else None,
        )


class AssignForm(forms.Form):
    assignee = PersonField(
        label=_("Assign to"),
        required=False,
        placeholder=_("Unassigned"),
        help_text=_("Type part of the name, the username or the team; empty: unassigned."),
    )

    def __init__(self, *args, enquiry: Enquiry, **kwargs):
        kwargs.setdefault("initial", {"assignee": enquiry.assignee})
        super().__init__(*args, **kwargs)
        self.enquiry = enquiry
        assignee = self.fields["assignee"]
        # Whoever holds it may keep it, even after moving to another team.
        assignee.queryset = User.objects.filter(
            Q(pk__in=User.objects.assignable_for(enquiry.queue).values("pk"))
            | Q(pk=enquiry.assignee_id or 0)
        ).select_related("team")
        assignee.widget.params = {"queue": str(enquiry.queue_id)}

    def save(self, *, by: User) -> list[str]:
        changes = {"assignee": self.cleaned_data["assignee"]}
        return services.update_enquiry(self.enquiry, by=by, changes=changes)


class BulkTriageForm(forms.Form):
    """The same changes for every selected enquiry; empty choices keep values."""

    KEEP = ""
    UNASSIGN = "none"

    selected = forms.ModelMultipleChoiceField(
        label=_("Selected enquiries"),
        queryset=Enquiry.objects.none(),
        error_messages={"required": _("Select at least one enquiry.")},
    )
    assignee = PersonField(
        label=_("Assign to"),
        required=False,
        placeholder=_("Keep as is"),
        static_choices=[(UNASSIGN, _("Nobody (unassign)"))],
        help_text=_("Empty keeps each assignee."),
    )
    category = CategoryField(
        label=_("Set category"),
        required=False,
        placeholder=_("Keep as is"),
        help_text=_("Empty keeps each category."),
    )
    priority = forms.TypedChoiceField(
        label=_("Set priority"),
        choices=[(KEEP, _("Keep as is")), *Enquiry.Priority.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Change status"),
        choices=[(KEEP, _("Keep as is")), *Status.choices],
        required=False,
    )

    def __init__(self, *args, user: User, **kwargs):
        # Its ids must not clash with the filter form on the same page.
        kwargs.setdefault("auto_id", "bulk_%s")
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = (
            Enquiry.objects.visible_to(user).select_related("queue").order_by("reference")
        )
        queues = Queue.objects.visible_to(user)
        self.fields["category"].queryset = active_categories(queues)
        self.fields["category"].set_several_queues(queues.count() > 1)
        self.fields["assignee"].queryset = assignable_people(user)

    @property
    def selected_ids(self) -> set[str]:
        """The ticked rows, kept when the page re-renders."""
        return set(self.data.getlist("selected")) if self.is_bound else set()

    def clean_assignee(self) -> User | str | None:
        value = self.cleaned_data["assignee"]
        if value == self.UNASSIGN:
            return None
        return self.KEEP if value is None else value

    def clean(self) -> dict:
        cleaned = super().clean()
        assignee = cleaned.get("assignee")
        if isinstance(assignee, User) and cleaned.get("selected"):
            for message in unassignable(assignee, cleaned["selected"]):
                self.add_error("assignee", message)
        nothing = (
            cleaned.get("assignee", self.KEEP) == self.KEEP
            and not cleaned.get("category")
            and cleaned.get("priority") is None
            and not cleaned.get("status")
        )
        if nothing and not self.errors:
            raise ValidationError(_("Choose at least one change to apply."))
        return cleaned

    def save(self, *, by: User) -> int:
        """Apply to all selected enquiries, or to none; the count applied."""
        data = self.cleaned_data
        changes: dict[str, Any] = {}
        if data["assignee"] != self.KEEP:
            changes["assignee"] = data["assignee"]
        if data["category"]:
            changes["category"] = data["category"]
        if data["priority"] is not None:
            changes["priority"] = data["priority"]
        enquiries = list(data["selected"])
        services.bulk_triage(enquiries, by=by, changes=changes, status=data["status"] or None)
        return len(enquiries)


class SavedFilterForm(forms.ModelForm):
    class Meta:
        model = SavedFilter
        fields = ["name", "is_shared"]
        labels = {"name": _("Name of this filter")}

    def __init__(self, *args, owner: User, query_string: str = "", **kwargs):
        kwargs.setdefault("auto_id", "save_%s")
        super().__init__(*args, **kwargs)
        self.instance.owner = owner
        self.instance.query_string = query_string

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if SavedFilter.objects.filter(owner=self.instance.owner, name=name).exists():
            raise ValidationError(
                _("You already have a filter called “%(name)s”.") % {"name": name}
            )
        return name

    def clean(self) -> dict:
        cleaned = super().clean()
        if len(self.instance.query_string) > SavedFilter._meta.get_field("query_string").max_length:
            raise ValidationError(_("This filter is too long to save."))
        return cleaned

    def validate_unique(self) -> None:
        # clean_name reports a taken name; owner is not a form field.
        pass


class RevealCprForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=200,
        help_text=_("Why you need the full number; the reason is logged."),
    )
