"""The agent-facing HTML pages: list and triage, log, detail, citizens.

Every view starts from a `visible_to(user)` QuerySet, so a missing check
shows up as a 404, never as a leak. Views parse with forms and change state
only through enquiries.services, on the project's base views
(nemid_cases.views).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache

from accounts.models import User
from enquiries import cpr, services
from enquiries.filtersets import CITIZEN_FILTER_REFUSED, EXACT_COUNT, EnquiryPageFilterSet
from enquiries.forms import (
    AssignForm,
    BulkTriageForm,
    CitizenForm,
    CitizenSearchForm,
    EnquiryCreateForm,
    EnquiryEditForm,
    NoteForm,
    RevealCprForm,
    SavedFilterForm,
    TransitionForm,
    citizen_matches,
    filter_query,
    strip_cpr,
)
from enquiries.models import LIST_RELATIONS, Citizen, Enquiry, SavedFilter
from nemid_cases import caching, idempotency
from nemid_cases.views import PermissionView, ServiceFormView, add_service_errors

PAGE_SIZE = 25
# The list counts its matches up to this many unless asked for all
# (EnquiryPaginator, EXACT_COUNT).
COUNT_LIMIT = 1000
CPR_NOT_SEARCHED = _lazy(
    "CPR numbers are never searched in the enquiry list, so they cannot end up in a web "
    "address. Use the citizen look-up under Citizens."
)


class EnquiryPaginator(Paginator):
    """Counts to a limit unless asked to count exactly; pages ids, then rows.

    An exact COUNT over a broad filter reads every match: at a million
    enquiries an agent's whole scope costs about 200 ms, most of the list's
    time, to print a number nobody acts on. So the list counts up to
    COUNT_LIMIT and says "more than" past it. A dashboard figure's link asks
    for the exact count (`count=exact`, `Scope.enquiry_url`), so the list it
    opens shows the figure's number; the capped heading links to the same.
    """

    limit = COUNT_LIMIT

    def __init__(self, object_list, per_page, *, exact: bool = False) -> None:
        super().__init__(object_list, per_page)
        self.exact = exact

    @cached_property
    def count(self) -> int:
        # Only the ids: an annotation a filter makes would otherwise be
        # computed for every row counted.
        matches = self.object_list.order_by().values("pk")
        if self.exact:
            return matches.count()
        return matches[: self.limit + 1].count()

    @property
    def is_capped(self) -> bool:
        return not self.exact and self.count > self.limit

    @cached_property
    def num_pages(self) -> int:
        if self.is_capped:
            return max(1, self.limit // self.per_page)
        return super().num_pages

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = list(self.object_list.values_list("pk", flat=True)[bottom:top])
        return self._get_page(Enquiry.objects.page_rows(ids), number, self)


def _list_url(query: str = "") -> str:
    url = reverse("enquiries:list")
    return f"{url}?{query}" if query else url


def _with_exact_count(query: str) -> str:
    return f"{query}&count={EXACT_COUNT}" if query else f"count={EXACT_COUNT}"


def _refused_citizen_filter(request: HttpRequest) -> bool:
    """A citizen filter from a role that may not see citizens."""
    return bool(request.GET.get("citizen")) and not request.user.has_perm("enquiries.view_citizen")


FILTER_FIELDS_SECONDS = 600


def _filter_fields(form) -> str:
    """The folded filter panel's fields, rendered once per set of options.

    While no filter in it is set they are the same for everyone who sees
    the same options, in the same language and sort order. The key is made
    of every field's submitted value and, for every field that lists its choices,
    those choices (the queues the reader sees, their topics), so a renamed
    topic, a new queue or a field added later is a new key; a failing
    cache only means rendering them (nemid_cases.caching). They were a
    quarter of the list's time in Python at 1M.
    """
    shown: list = [get_language()]
    for name, field in form.fields.items():
        shown.append((name, form.data.getlist(name)))
        if isinstance(field.widget, forms.widgets.ChoiceWidget):
            shown.append([(str(value), str(label)) for value, label in field.widget.choices])
    key = "enquiries:filter-fields:" + hashlib.sha256(repr(shown).encode()).hexdigest()
    return caching.get_or_set(
        key,
        lambda: render_to_string("enquiries/partials/filter_fields.html", {"form": form}),
        FILTER_FIELDS_SECONDS,
    )


def _list_context(
    request: HttpRequest,
    *,
    bulk_form: BulkTriageForm | None = None,
    save_form: SavedFilterForm | None = None,
) -> dict:
    user = request.user
    data = request.GET.copy()
    if "q" in data:
        data["q"] = strip_cpr(data["q"])
    filterset = EnquiryPageFilterSet(
        data, queryset=Enquiry.objects.visible_to(user), request=request
    )
    exact = data.get("count") == EXACT_COUNT
    page = EnquiryPaginator(filterset.qs, PAGE_SIZE, exact=exact).get_page(request.GET.get("page"))
    query = filter_query(data)
    exact_query = _with_exact_count(query)
    can_bulk = user.has_perm("enquiries.bulk_triage_enquiry")
    citizen = filterset.form.cleaned_data.get("citizen") if filterset.form.is_valid() else None
    # The filter panel stays folded unless a filter in it is set or wrong;
    # the search box is always in view.
    folded = [name for name in filterset.filters if name not in ("q", "ordering")]
    active = [name for name in folded if data.getlist(name)]
    active = [name for name in active if any(value.strip() for value in data.getlist(name))]
    filters_open = bool(active or filterset.form.errors)
    return {
        "filterset": filterset,
        "active_filters": active,
        "filters_open": filters_open,
        # Set or wrong filters are rendered with the page, as typed.
        "filter_fields": "" if filters_open else _filter_fields(filterset.form),
        "page": page,
        "query": query,
        # Pages of an exact count count exactly too; the capped heading's
        # link asks for it.
        "exact_count_query": exact_query,
        "page_query": exact_query if exact else query,
        "sort": data.get("ordering", ""),
        "filter_citizen": citizen,
        "now": timezone.now(),
        "can_bulk": can_bulk,
        # Asked once, not in every row (a permission check each time).
        "show_citizens": user.has_perm("enquiries.view_citizen"),
        "bulk_form": bulk_form or (BulkTriageForm(user=user) if can_bulk else None),
        "save_form": save_form or SavedFilterForm(owner=user),
        "saved_filters": SavedFilter.objects.filter(Q(owner=user) | Q(is_shared=True))
        .select_related("owner")
        .order_by("name", "pk"),
    }


class EnquiryListView(PermissionView):
    permission_required = "enquiries.view_enquiry"

    def get(self, request: HttpRequest) -> HttpResponse:
        if cpr.contains_cpr(request.GET.get("q", "")):
            # Typed past the page's own guard: never search, echo or keep it.
            messages.warning(request, CPR_NOT_SEARCHED)
            return redirect(_list_url(filter_query(request.GET)))
        if _refused_citizen_filter(request):
            # Say so and show the list without it, never a list that only
            # looks filtered. The API and the exports answer with a 400.
            messages.error(request, CITIZEN_FILTER_REFUSED)
            return redirect(_list_url(filter_query(request.GET, without=("citizen",))))
        return render(request, "enquiries/enquiry_list.html", _list_context(request))


class ListFormView(ServiceFormView):
    """A form posted from the enquiry list, shown again on it when refused."""

    http_method_names = ["post"]
    template_name = "enquiries/enquiry_list.html"

    def get_success_url(self, result: Any) -> str:
        return _list_url(filter_query(self.request.GET))


class BulkTriageView(ListFormView):
    """Apply one set of changes to the ticked rows of the list, all or none."""

    permission_required = "enquiries.bulk_triage_enquiry"
    form_class = BulkTriageForm

    def get_form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def perform(self, form: BulkTriageForm) -> int:
        return form.save(by=self.request.user)

    def get_context_data(self, form: BulkTriageForm) -> dict:
        return _list_context(self.request, bulk_form=form)

    def success_message(self, count: int) -> str:
        return ngettext("%(count)d enquiry changed.", "%(count)d enquiries changed.", count) % {
            "count": count
        }


class SavedFilterCreateView(ListFormView):
    permission_required = "enquiries.add_savedfilter"
    form_class = SavedFilterForm

    @cached_property
    def query(self) -> str:
        refused = ("citizen",) if _refused_citizen_filter(self.request) else ()
        return filter_query(self.request.GET, without=refused)

    def get_form_kwargs(self) -> dict:
        return {"owner": self.request.user, "query_string": self.query}

    def perform(self, form: SavedFilterForm) -> SavedFilter:
        return form.save()

    def get_context_data(self, form: SavedFilterForm) -> dict:
        return _list_context(self.request, save_form=form)

    def success_message(self, saved: SavedFilter) -> str:
        return _("Filter “%(name)s” saved.") % {"name": saved.name}

    def get_success_url(self, saved: SavedFilter) -> str:
        return _list_url(self.query)


class SavedFilterDeleteView(PermissionView):
    permission_required = "enquiries.delete_savedfilter"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        saved = get_object_or_404(SavedFilter, pk=pk, owner=request.user)
        saved.delete()
        messages.success(request, _("Filter “%(name)s” deleted.") % {"name": saved.name})
        return redirect(_list_url(filter_query(request.GET)))


@method_decorator(never_cache, name="dispatch")
class EnquiryCreateView(ServiceFormView):
    """Log an enquiry while the citizen is on the phone."""

    permission_required = "enquiries.add_enquiry"
    form_class = EnquiryCreateForm
    template_name = "enquiries/enquiry_form.html"

    def get_form_kwargs(self) -> dict:
        return {"user": self.request.user}

    def post(self, request: HttpRequest) -> HttpResponse:
        if request.POST.get("action") == "lookup":
            # Without JavaScript the look-up button posts the whole form.
            form = EnquiryCreateForm.showing(request.POST, user=request.user)
            return render(request, self.template_name, {"form": form, "looked_up": True})
        form = self.get_form(request.POST)
        if not form.is_valid():
            return self.form_refused(form)
        enquiry, first_answer = idempotency.once(
            request.user,
            form.cleaned_data["idempotency_key"],
            lambda: self.save(form),
            location_of=lambda enquiry: reverse(
                "enquiries:detail", kwargs={"reference": enquiry.reference}
            ),
        )
        if first_answer:
            messages.info(
                request, _("This form was already saved; the enquiry was not logged twice.")
            )
            return redirect(first_answer)
        if enquiry is None:
            return self.form_refused(form)
        return self.form_saved(form, enquiry)

    def perform(self, form: EnquiryCreateForm) -> Enquiry:
        return services.log_enquiry(
            form.cleaned_data["queue"], by=self.request.user, **form.log_kwargs()
        )

    def save(self, form: EnquiryCreateForm) -> Enquiry | None:
        try:
            with transaction.atomic():
                return self.perform(form)
        except ValidationError as error:
            if form.wants_new_citizen and "cpr" in getattr(error, "error_dict", {}):
                # The CPR number is typed into the registration part.
                form.citizen_form.add_error("cpr", error.error_dict.pop("cpr"))
            add_service_errors(form, error)
            return None

    def success_message(self, enquiry: Enquiry) -> str:
        return _("Enquiry %(reference)s logged.") % {"reference": enquiry.reference}

    def get_success_url(self, enquiry: Enquiry) -> str:
        return reverse("enquiries:detail", kwargs={"reference": enquiry.reference})


class EnquiryMixin:
    """Fetch the enquiry of the URL from what the user may see."""

    @cached_property
    def enquiry(self) -> Enquiry:
        return self.get_enquiry()

    def get_enquiry(self) -> Enquiry:
        # Found by reference first, then read with its relations by id:
        # PostgreSQL plans the eight joins in a few ms on a primary key and
        # in tens on the permission-scoped query.
        pk = get_object_or_404(
            Enquiry.objects.visible_to(self.request.user).values_list("pk", flat=True),
            reference=self.kwargs["reference"],
        )
        # The assignee's team too: the assign form names it beside them.
        return Enquiry.objects.select_related(*LIST_RELATIONS, "assignee__team", "created_by").get(
            pk=pk
        )


def detail_context(request: HttpRequest, enquiry: Enquiry, **forms) -> dict:
    """The enquiry page's context; a form of another app on the page (the
    rating) re-renders the page with it."""
    user = request.user
    context = {
        "enquiry": enquiry,
        "events": enquiry.events.select_related("actor"),
        "additional_topics": enquiry.additional_topics.all(),
        "now": timezone.now(),
        "show_citizen": bool(enquiry.citizen_id and user.has_perm("enquiries.view_citizen")),
    }
    if user.has_perm("enquiries.change_enquiry"):
        context["note_form"] = forms.get("note_form") or NoteForm()
        context["transition_form"] = forms.get("transition_form") or TransitionForm(enquiry=enquiry)
        context["assign_form"] = forms.get("assign_form") or AssignForm(enquiry=enquiry)
        context["may_take"] = enquiry.assignee_id != user.pk and (
            User.objects.assignable_for(enquiry.queue).filter(pk=user.pk).exists()
        )
    if context["show_citizen"]:
        others = (
            Enquiry.objects.visible_to(user)
            .filter(citizen_id=enquiry.citizen_id)
            .exclude(pk=enquiry.pk)
            .order_by("-received_at", "-id")
        )
        # Only what the panel shows: no joins for PostgreSQL to plan.
        context["other_enquiries"] = list(others.only("reference", "subject", "status")[:10])
        context["other_count"] = others.count()
    return context


class EnquiryDetailView(EnquiryMixin, PermissionView):
    permission_required = "enquiries.view_enquiry"

    def get(self, request: HttpRequest, reference: str) -> HttpResponse:
        enquiry = self.get_enquiry()
        return render(request, "enquiries/enquiry_detail.html", detail_context(request, enquiry))


class EnquiryActionView(EnquiryMixin, ServiceFormView):
    """A form on the detail page: redirect back on success, else re-render."""

    permission_required = "enquiries.change_enquiry"
    http_method_names = ["post"]
    template_name = "enquiries/enquiry_detail.html"
    form_class: type = NoteForm
    context_name = "note_form"

    def get_form_kwargs(self) -> dict:
        return {"enquiry": self.enquiry}

    def perform(self, form) -> Any:
        return form.save(by=self.request.user)

    def get_context_data(self, form) -> dict:
        self.enquiry.refresh_from_db()
        return detail_context(self.request, self.enquiry, **{self.context_name: form})

    def success_message(self, result: Any) -> str:
        return _("Enquiry updated.")

    def get_success_url(self, result: Any) -> str:
        return reverse("enquiries:detail", kwargs={"reference": self.enquiry.reference})


class AddNoteView(EnquiryActionView):
    def get_form_kwargs(self) -> dict:
        return {}

    def perform(self, form: NoteForm) -> Any:
        return form.save(self.enquiry, by=self.request.user)

    def success_message(self, result: Any) -> str:
        return _("Note added.")


class TransitionView(EnquiryActionView):
    form_class = TransitionForm
    context_name = "transition_form"

    def success_message(self, result: Any) -> str:
        self.enquiry.refresh_from_db(fields=["status"])
        return _("Status is now “%(status)s”.") % {"status": self.enquiry.get_status_display()}


class AssignView(EnquiryActionView):
    form_class = AssignForm
    context_name = "assign_form"

    def success_message(self, result: Any) -> str:
        self.enquiry.refresh_from_db(fields=["assignee"])
        if self.enquiry.assignee is None:
            return _("The enquiry is now unassigned.")
        return _("Assigned to %(user)s.") % {"user": self.enquiry.assignee}


class EnquiryEditView(EnquiryMixin, ServiceFormView):
    """Change classification and wording through services.update_enquiry."""

    permission_required = "enquiries.change_enquiry"
    form_class = EnquiryEditForm
    template_name = "enquiries/enquiry_edit.html"

    def get_form_kwargs(self) -> dict:
        return {"enquiry": self.enquiry, "user": self.request.user}

    def get_context_data(self, form: EnquiryEditForm) -> dict:
        return {"form": form, "enquiry": self.enquiry}

    def save(self, form: EnquiryEditForm) -> list[str] | None:
        if not form.user_changed:
            # Nothing to save, so no version to check either.
            return []
        return super().save(form)

    def perform(self, form: EnquiryEditForm) -> list[str]:
        return form.save(by=self.request.user)

    def form_saved(self, form: EnquiryEditForm, changed: list[str]) -> HttpResponse:
        if changed:
            messages.success(self.request, _("Enquiry updated."))
        else:
            messages.info(self.request, _("Nothing was changed."))
        return redirect("enquiries:detail", reference=self.enquiry.reference)


def _citizens_with_counts(request: HttpRequest, citizens):
    visible = Enquiry.objects.visible_to(request.user)
    return citizens.annotate(
        enquiry_count=Count("enquiries", filter=Q(enquiries__in=visible.values("pk")))
    )


@method_decorator(never_cache, name="dispatch")
class CitizenListView(PermissionView):
    """Citizens by name; searching is a POST, as the text may be a CPR number."""

    permission_required = "enquiries.view_citizen"
    template_name = "enquiries/citizen_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        citizens = _citizens_with_counts(request, Citizen.objects.visible_to(request.user))
        page = Paginator(citizens.order_by("name", "pk"), PAGE_SIZE).get_page(
            request.GET.get("page")
        )
        return render(request, self.template_name, {"form": CitizenSearchForm(), "page": page})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CitizenSearchForm(request.POST)
        results = None
        if form.is_valid():
            found = citizen_matches(request.user, form.cleaned_data["q"], limit=50)
            results = _citizens_with_counts(
                request, Citizen.objects.filter(pk__in=[c.pk for c in found])
            ).order_by("name", "pk")
        return render(request, self.template_name, {"form": form, "results": results})


@method_decorator(never_cache, name="dispatch")
class CitizenLookupView(PermissionView):
    """The log form's look-up (htmx): matching citizens as choices."""

    permission_required = "enquiries.view_citizen"

    def post(self, request: HttpRequest) -> HttpResponse:
        form = CitizenSearchForm({"q": request.POST.get("citizen_query", "")})
        matches = []
        if form.is_valid():
            matches = citizen_matches(request.user, form.cleaned_data["q"])
        return render(
            request,
            "enquiries/partials/citizen_lookup.html",
            {"matches": matches, "chosen": "", "looked_up": True, "lookup_form": form},
        )


class CitizenMixin:
    def get_citizen(self) -> Citizen:
        return get_object_or_404(
            Citizen.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )


def _citizen_context(request: HttpRequest, citizen: Citizen, **extra) -> dict:
    enquiries = (
        Enquiry.objects.visible_to(request.user)
        .filter(citizen=citizen)
        .for_list()
        .order_by("-received_at", "-id")
    )
    context = {"citizen": citizen, "enquiries": enquiries, "now": timezone.now()}
    if request.user.has_perm("enquiries.reveal_cpr") and citizen.cpr_ciphertext:
        context["reveal_form"] = extra.pop("reveal_form", None) or RevealCprForm()
    context.update(extra)
    return context


@method_decorator(never_cache, name="dispatch")
class CitizenDetailView(CitizenMixin, PermissionView):
    permission_required = "enquiries.view_citizen"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        context = _citizen_context(request, self.get_citizen())
        return render(request, "enquiries/citizen_detail.html", context)


@method_decorator(never_cache, name="dispatch")
class CitizenRevealCprView(CitizenMixin, PermissionView):
    """Show the full CPR number once, in this response only, and log it."""

    permission_required = "enquiries.reveal_cpr"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        citizen = self.get_citizen()
        form = RevealCprForm(request.POST)
        revealed = None
        if form.is_valid():
            try:
                revealed = services.reveal_cpr(
                    citizen, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
        context = _citizen_context(request, citizen, reveal_form=form, revealed_cpr=revealed)
        return render(request, "enquiries/citizen_detail.html", context)


@method_decorator(never_cache, name="dispatch")
class CitizenFormView(ServiceFormView):
    """Register a citizen, or edit one (`pk` in the URL)."""

    form_class = CitizenForm
    template_name = "enquiries/citizen_form.html"

    def get_permission_required(self) -> tuple[str, ...]:
        if "pk" in self.kwargs:
            return ("enquiries.change_citizen",)
        return ("enquiries.add_citizen",)

    @cached_property
    def citizen(self) -> Citizen | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(
            Citizen.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self) -> dict:
        return {"instance": self.citizen}

    def get_context_data(self, form: CitizenForm) -> dict:
        return {"form": form, "citizen": self.citizen}

    def perform(self, form: CitizenForm) -> Citizen | None:
        saved = form.save_safely()
        if saved is not None and self.citizen is None:
            services.record_citizen_registration(saved, by=self.request.user)
        return saved

    def success_message(self, saved: Citizen) -> str:
        return _("Citizen %(name)s saved.") % {"name": saved.name}

    def get_success_url(self, saved: Citizen) -> str:
        return reverse("enquiries:citizen-detail", kwargs={"pk": saved.pk})
