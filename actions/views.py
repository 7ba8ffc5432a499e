"""The action pages: lists, follow-up, detail with timeline and KPIs, forms.

Every query starts from `Action.objects.visible_to(user)`, so an action
outside a user's scope is a 404. Reading needs `actions.view_action`;
every change needs the add/change permission the service also checks.
"""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from actions import services
from actions.due import parse_due, year_assumed
from actions.filtersets import ActionFilterSet
from actions.forms import (
    ActionForm,
    KpiForm,
    KpiReadingForm,
    ProgressUpdateForm,
    StatusForm,
    answerable_alerts,
    visible_categories,
    visible_topics,
)
from actions.models import FOLLOW_UP_DAYS, Action, Kpi
from analytics.services import record_alert_action
from enquiries.models import Category, Topic
from nemid_cases.versioning import save_edit
from stakeholders.models import Meeting, Recommendation

PAGE_SIZE = 50
# Filters set by links (from a recommendation, a meeting...), kept as hidden fields.
HIDDEN_FILTERS = ("recommendation", "meeting", "topic", "category", "follows_up")


def _with_origins(queryset: QuerySet) -> QuerySet:
    """Prefetch the origins a list row names (four queries, whatever the rows)."""
    return queryset.prefetch_related(
        Prefetch("origin_recommendations", Recommendation.objects.select_related("organisation")),
        "origin_meetings",
        "origin_topics",
        Prefetch("origin_categories", Category.objects.select_related("topic")),
    )


def _apply_errors(form, error: ValidationError, *, prefix_map: dict[str, str] | None = None):
    """Put a service's field errors on the form; unknown fields go on top."""
    for field, field_messages in error.message_dict.items():
        name = (prefix_map or {}).get(field, field)
        for message in field_messages:
            form.add_error(name if name in form.fields else None, message)


class ReadMixin(PermissionRequiredMixin):
    permission_required = "actions.view_action"
    raise_exception = True

    def visible(self) -> QuerySet:
        return Action.objects.visible_to(self.request.user)


class EditMixin(ReadMixin):
    permission_required = "actions.change_action"

    def get_action(self, pk: int) -> Action:
        return get_object_or_404(self.visible().for_list(), pk=pk)


class ActionListView(ReadMixin, View):
    """All actions the user may see, filtered and sorted by the end of the due range."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        filterset = ActionFilterSet(
            request.GET or None, queryset=self.visible().for_list(), request=request, today=today
        )
        queryset = filterset.qs if filterset.is_bound else filterset.queryset
        if filterset.is_bound and not filterset.is_valid():
            queryset = queryset.none()
        page = Paginator(_with_origins(queryset), PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            "actions/action_list.html",
            {
                "filterset": filterset,
                "page": page,
                "actions": page.object_list,
                "today": today,
                "query": query.urlencode(),
                "hidden_filters": HIDDEN_FILTERS,
            },
        )


class FollowUpView(ReadMixin, View):
    """Open actions that are overdue or due within 14 days, and the ASAP ones."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        horizon = today + datetime.timedelta(days=FOLLOW_UP_DAYS)
        filterset = ActionFilterSet(
            request.GET or None, queryset=self.visible().for_list(), request=request, today=today
        )
        base = filterset.qs if filterset.is_bound and filterset.is_valid() else self.visible()
        rows = (
            base.for_list()
            .due_for_follow_up(today)
            .annotate(
                bucket=Case(
                    When(due_end__lt=today, then=Value(0)),
                    When(due_end__lte=horizon, then=Value(1)),
                    default=Value(2),
                    output_field=IntegerField(),
                )
            )
            .order_by("bucket", "due_end", "title", "id")
        )
        sections = {0: [], 1: [], 2: []}
        for action in rows:
            sections[action.bucket].append(action)
        return render(
            request,
            "actions/follow_up.html",
            {
                "filterset": filterset,
                "today": today,
                "horizon": horizon,
                "days": FOLLOW_UP_DAYS,
                "sections": [
                    (_("Overdue"), "overdue", sections[0]),
                    (
                        _("Due within %(days)s days") % {"days": FOLLOW_UP_DAYS},
                        "due-soon",
                        sections[1],
                    ),
                    (_("As soon as possible (no date)"), "asap", sections[2]),
                ],
            },
        )


class OwedView(ReadMixin, View):
    """Per organisation, what it owes: its open actions, counted and listed."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        horizon = today + datetime.timedelta(days=FOLLOW_UP_DAYS)
        # Through a subquery of ids: the scope's joins must not inflate counts.
        scoped = Action.objects.filter(pk__in=self.visible().values("pk")).open()
        summary = (
            scoped.values("owner__code", "owner__name")
            .annotate(
                open_count=Count("id"),
                overdue_count=Count("id", filter=Q(due_end__lt=today)),
                due_soon_count=Count("id", filter=Q(due_end__gte=today, due_end__lte=horizon)),
                asap_count=Count("id", filter=Q(due_precision=Action.DuePrecision.ASAP)),
            )
            .order_by("owner__name")
        )
        actions = scoped.for_list().order_by("owner__name", "due_end", "title", "id")
        return render(
            request,
            "actions/owed.html",
            {"summary": summary, "actions": actions, "today": today, "days": FOLLOW_UP_DAYS},
        )


def _chain_up(action: Action, visible: QuerySet) -> list[Action]:
    """The earlier actions this one follows up on, nearest first (visible ones)."""
    chain: list[Action] = []
    seen = {action.pk}
    current_id = action.follows_up_id
    while current_id and current_id not in seen and len(chain) < services.MAX_CHAIN:
        seen.add(current_id)
        earlier = visible.select_related("owner").filter(pk=current_id).first()
        if earlier is None:
            break
        chain.append(earlier)
        current_id = earlier.follows_up_id
    return chain


def _kpi_chart(kpi: Kpi) -> dict[str, Any]:
    readings = list(kpi.readings.all())
    return {
        "id": kpi.pk,
        "metric": kpi.metric,
        "unit": kpi.unit,
        "labels": [r.measured_on.isoformat() for r in readings],
        "values": [float(r.value) for r in readings],
        "baseline": float(kpi.baseline),
        "target": float(kpi.target) if kpi.target is not None else None,
    }


class ActionDetailView(ReadMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        visible = self.visible()
        action = get_object_or_404(visible.for_detail(), pk=pk)
        follow_ups = list(visible.filter(follows_up_id=action.pk).select_related("owner"))
        kpis = list(action.kpis.all())
        user = request.user
        return render(
            request,
            "actions/action_detail.html",
            {
                "action": action,
                "today": timezone.localdate(),
                "chain_up": _chain_up(action, visible),
                "follow_ups": follow_ups,
                "kpis": kpis,
                "kpi_charts": [_kpi_chart(k) for k in kpis],
                "can_edit": user.has_perm("actions.change_action"),
                "can_add_update": user.has_perm("actions.add_actionupdate"),
                "can_add_kpi": user.has_perm("actions.add_kpi"),
                "can_add_reading": user.has_perm("actions.add_kpireading"),
                "transitions": [Action.Status(s) for s in services.allowed_transitions(action)],
            },
        )


def _prefill(request: HttpRequest, form_user) -> tuple[dict[str, Any], list[str]]:
    """Initial values from ?recommendation=, meeting=, topic=, category=, alert=,
    follows_up=.

    Ids the user cannot see, or that are not numbers, are ignored.
    """
    initial: dict[str, Any] = {}
    sources: list[str] = []

    def lookup(name: str, queryset: QuerySet):
        raw = request.GET.get(name, "")
        if not raw.isdigit() or len(raw) > 18:
            return None
        return queryset.filter(pk=int(raw)).first()

    recommendation = lookup(
        "recommendation",
        Recommendation.objects.visible_to(form_user).select_related("organisation", "meeting"),
    )
    if recommendation is not None:
        initial["origin_recommendations"] = [recommendation]
        sources.append(_("Recommendation: %(text)s") % {"text": recommendation})
        if recommendation.meeting_id:
            initial["origin_meetings"] = [recommendation.meeting]
    meeting = lookup("meeting", Meeting.objects.visible_to(form_user))
    if meeting is not None:
        initial["origin_meetings"] = [meeting]
        sources.append(_("Meeting: %(meeting)s") % {"meeting": meeting})
    topic: Topic | None = lookup("topic", visible_topics(form_user))
    if topic is not None:
        initial["origin_topics"] = [topic]
        sources.append(_("Enquiry topic: %(topic)s") % {"topic": topic.name})
    category: Category | None = lookup("category", visible_categories(form_user))
    if category is not None:
        initial["origin_categories"] = [category]
        initial.setdefault("origin_topics", [category.topic])
        sources.append(_("Enquiry category: %(category)s") % {"category": category.label})
    alert = lookup("alert", answerable_alerts(form_user))
    if alert is not None:
        initial["alert"] = alert.pk
        initial.setdefault("origin_topics", [alert.topic])
        if alert.category_id:
            initial.setdefault("origin_categories", [alert.category])
        sources.append(_("Pattern alert: %(subject)s") % {"subject": alert.subject})
    earlier = lookup("follows_up", Action.objects.visible_to(form_user).select_related("theme"))
    if earlier is not None:
        initial.update(follows_up=earlier, theme=earlier.theme_id, owner=earlier.owner_id)
        sources.append(_("Follows up on: %(title)s") % {"title": earlier.title})
    return initial, sources


class ActionCreateView(EditMixin, View):
    permission_required = "actions.add_action"

    def get(self, request: HttpRequest) -> HttpResponse:
        initial, sources = _prefill(request, request.user)
        form = ActionForm(user=request.user, initial=initial)
        return self._render(request, form, sources)

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ActionForm(request.POST, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                with transaction.atomic():
                    action = self._create(data, by=request.user)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The action was created."))
                return redirect(action)
        return self._render(request, form, [])

    def _create(self, data: dict, *, by) -> Action:
        """The action, and the pattern alert it answers recorded as acted on."""
        action = services.create_action(
            data["owner"],
            by=by,
            title=data["title"],
            theme=data["theme"],
            due_phrase=data["due_phrase"],
            description=data["description"],
            responsible=data["responsible"],
            status=data["status"],
            origin_recommendations=data["origin_recommendations"],
            origin_meetings=data["origin_meetings"],
            origin_topics=data["origin_topics"],
            origin_categories=data["origin_categories"],
            follows_up=data["follows_up"],
        )
        if data["alert"] is not None:
            record_alert_action(data["alert"], action=action, by=by)
        return action

    def _render(self, request, form, sources) -> HttpResponse:
        return render(
            request,
            "actions/action_form.html",
            {"form": form, "sources": sources, "title": _("New action")},
            status=400 if form.is_bound else 200,
        )


class ActionEditView(EditMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = self.get_action(pk)
        return self._render(request, action, ActionForm(instance=action, user=request.user))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = self.get_action(pk)
        form = ActionForm(request.POST, instance=action, user=request.user)
        if form.is_valid():
            # Only what this user changed: an untouched field keeps the saved
            # value, whoever saved it.
            changes = {
                name: form.cleaned_data[name]
                for name in services.UPDATABLE_FIELDS
                if name in form.user_changed
            }
            try:
                changed = save_edit(
                    form,
                    action,
                    partial(services.update_action, action, by=request.user, changes=changes),
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                if changed is not None:
                    if changed:
                        messages.success(request, _("The action was saved."))
                    return redirect(action)
        return self._render(request, action, form)

    def _render(self, request, action, form) -> HttpResponse:
        return render(
            request,
            "actions/action_form.html",
            {"form": form, "action": action, "title": _("Edit action")},
            status=400 if form.is_bound else 200,
        )


class ActionStatusView(EditMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = self.get_action(pk)
        initial = {"status": request.GET.get("to", "")}
        form = StatusForm(action=action, user=request.user, initial=initial)
        return self._render(request, action, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = self.get_action(pk)
        form = StatusForm(request.POST, action=action, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            follow_up: Action | services.NewFollowUp | None = data["follow_up"]
            if follow_up is None and data["follow_up_title"].strip():
                follow_up = services.NewFollowUp(
                    title=data["follow_up_title"],
                    due_phrase=data["follow_up_due_phrase"],
                    owner=data["follow_up_owner"],
                )
            try:
                services.change_action_status(
                    action,
                    to=data["status"],
                    by=request.user,
                    note=data["note"],
                    follow_up=follow_up,
                    completed_on=data["completed_on"],
                )
            except ValidationError as error:
                _apply_errors(form, error, prefix_map={"owner": "follow_up_owner"})
            else:
                messages.success(
                    request,
                    _("The status is now “%(status)s”.")
                    % {"status": Action.Status(data["status"]).label},
                )
                return redirect(action)
        return self._render(request, action, form)

    def _render(self, request, action, form) -> HttpResponse:
        return render(
            request,
            "actions/status_form.html",
            {"form": form, "action": action},
            status=400 if form.is_bound else 200,
        )


class ProgressUpdateCreateView(EditMixin, View):
    permission_required = "actions.add_actionupdate"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self.get_action(pk), ProgressUpdateForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = self.get_action(pk)
        form = ProgressUpdateForm(request.POST)
        if form.is_valid():
            try:
                services.add_progress_update(
                    action,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    written_on=form.cleaned_data["written_on"],
                )
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The progress update was added."))
                return redirect(action)
        return self._render(request, action, form)

    def _render(self, request, action, form) -> HttpResponse:
        return render(
            request,
            "actions/simple_form.html",
            {"form": form, "action": action, "title": _("Add a progress update")},
            status=400 if form.is_bound else 200,
        )


class KpiCreateView(EditMixin, View):
    permission_required = "actions.add_kpi"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._render(request, self.get_action(pk), KpiForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        action = self.get_action(pk)
        form = KpiForm(request.POST)
        if form.is_valid():
            try:
                services.add_kpi(action, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The KPI was added."))
                return redirect(action)
        return self._render(request, action, form)

    def _render(self, request, action, form) -> HttpResponse:
        return render(
            request,
            "actions/simple_form.html",
            {"form": form, "action": action, "title": _("Add a KPI")},
            status=400 if form.is_bound else 200,
        )


class KpiReadingCreateView(EditMixin, View):
    permission_required = "actions.add_kpireading"

    def get_kpi(self, pk: int, kpi_pk: int) -> Kpi:
        action = self.get_action(pk)
        return get_object_or_404(Kpi.objects.select_related("action"), pk=kpi_pk, action=action)

    def get(self, request: HttpRequest, pk: int, kpi_pk: int) -> HttpResponse:
        return self._render(request, self.get_kpi(pk, kpi_pk), KpiReadingForm())

    def post(self, request: HttpRequest, pk: int, kpi_pk: int) -> HttpResponse:
        kpi = self.get_kpi(pk, kpi_pk)
        form = KpiReadingForm(request.POST)
        if form.is_valid():
            try:
                services.record_kpi_reading(kpi, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _apply_errors(form, error)
            else:
                messages.success(request, _("The reading was recorded."))
                return redirect(kpi.action)
        return self._render(request, kpi, form)

    def _render(self, request, kpi, form) -> HttpResponse:
        return render(
            request,
            "actions/simple_form.html",
            {
                "form": form,
                "action": kpi.action,
                "title": _("Record a reading: %(metric)s") % {"metric": kpi.metric},
            },
            status=400 if form.is_bound else 200,
        )


class DuePreviewView(EditMixin, View):
    """What a due phrase reads as, for the form's live preview (htmx)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        phrase = request.GET.get("due_phrase", "") or request.GET.get("follow_up_due_phrase", "")
        phrase = phrase[:200]
        error = None
        due = None
        if phrase.strip():
            try:
                due = parse_due(phrase)
            except ValidationError as exc:
                error = exc.messages[0]
        return render(
            request,
            "actions/partials/due_preview.html",
            {
                "due": due,
                "error": error,
                "phrase": phrase,
                "year_assumed": due is not None and year_assumed(phrase),
            },
        )
