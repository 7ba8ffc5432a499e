"""The action pages: lists, follow-up, detail with timeline and KPIs, forms.

Every query starts from `Action.objects.visible_to(user)`, so an action
outside a user's scope is a 404. Reading needs `actions.view_action`;
every change needs the add/change permission the service also checks.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

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
from nemid_cases.views import PermissionView, ServiceFormView
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


class ReadMixin:
    permission_required = "actions.view_action"

    def visible(self) -> QuerySet:
        return Action.objects.visible_to(self.request.user)


class ActionFormView(ReadMixin, ServiceFormView):
    """A form about one action (the URL's pk): shown with 400 when refused,
    back to the action's page when saved."""

    permission_required = "actions.change_action"
    template_name = "actions/simple_form.html"
    invalid_status = 400
    title = ""

    @cached_property
    def action(self) -> Action:
        return get_object_or_404(self.visible().for_list(), pk=self.kwargs["pk"])

    def get_context_data(self, form) -> dict:
        return {"form": form, "action": self.action, "title": self.title}

    def get_success_url(self, result: Any) -> str:
        return self.action.get_absolute_url()


class ActionListView(ReadMixin, PermissionView):
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


class FollowUpView(ReadMixin, PermissionView):
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


class OwedView(ReadMixin, PermissionView):
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


class ActionDetailView(ReadMixin, PermissionView):
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


class ActionCreateView(ReadMixin, ServiceFormView):
    permission_required = "actions.add_action"
    form_class = ActionForm
    template_name = "actions/action_form.html"

    def get_form_kwargs(self) -> dict:
        return {"user": self.request.user}

    invalid_status = 400
    # Where the prefilled origins came from (?recommendation=...), shown on GET.
    sources: list[str] = []

    def get_initial(self) -> dict:
        initial, self.sources = _prefill(self.request, self.request.user)
        return initial

    def get_context_data(self, form: ActionForm) -> dict:
        return {"form": form, "sources": self.sources, "title": _("New action")}

    def perform(self, form: ActionForm) -> Action:
        """The action, and the pattern alert it answers recorded as acted on."""
        data, by = form.cleaned_data, self.request.user
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

    def success_message(self, action: Action) -> str:
        return _("The action was created.")

    def get_success_url(self, action: Action) -> str:
        return action.get_absolute_url()


class ActionEditView(ActionFormView):
    form_class = ActionForm
    template_name = "actions/action_form.html"

    def get_form_kwargs(self) -> dict:
        return {"instance": self.action, "user": self.request.user}

    def get_context_data(self, form: ActionForm) -> dict:
        return {"form": form, "action": self.action, "title": _("Edit action")}

    def perform(self, form: ActionForm) -> dict:
        # Only what this user changed: an untouched field keeps the saved
        # value, whoever saved it.
        changes = {
            name: form.cleaned_data[name]
            for name in services.UPDATABLE_FIELDS
            if name in form.user_changed
        }
        return services.update_action(self.action, by=self.request.user, changes=changes)

    def success_message(self, changed: Any) -> str:
        return _("The action was saved.") if changed else ""


class ActionStatusView(ActionFormView):
    form_class = StatusForm
    template_name = "actions/status_form.html"
    field_map = {"owner": "follow_up_owner"}

    def get_form_kwargs(self) -> dict:
        return {"action": self.action, "user": self.request.user}

    def get_initial(self) -> dict:
        return {"status": self.request.GET.get("to", "")}

    def get_context_data(self, form: StatusForm) -> dict:
        return {"form": form, "action": self.action}

    def perform(self, form: StatusForm) -> Action:
        data = form.cleaned_data
        follow_up: Action | services.NewFollowUp | None = data["follow_up"]
        if follow_up is None and data["follow_up_title"].strip():
            follow_up = services.NewFollowUp(
                title=data["follow_up_title"],
                due_phrase=data["follow_up_due_phrase"],
                owner=data["follow_up_owner"],
            )
        services.change_action_status(
            self.action,
            to=data["status"],
            by=self.request.user,
            note=data["note"],
            follow_up=follow_up,
            completed_on=data["completed_on"],
        )
        return data["status"]

    def success_message(self, status: str) -> str:
        return _("The status is now “%(status)s”.") % {"status": Action.Status(status).label}


class ProgressUpdateCreateView(ActionFormView):
    permission_required = "actions.add_actionupdate"
    form_class = ProgressUpdateForm
    title = _lazy("Add a progress update")

    def perform(self, form: ProgressUpdateForm) -> Any:
        return services.add_progress_update(
            self.action,
            by=self.request.user,
            text=form.cleaned_data["text"],
            written_on=form.cleaned_data["written_on"],
        )

    def success_message(self, result: Any) -> str:
        return _("The progress update was added.")


class KpiCreateView(ActionFormView):
    permission_required = "actions.add_kpi"
    form_class = KpiForm
    title = _lazy("Add a KPI")

    def perform(self, form: KpiForm) -> Kpi:
        return services.add_kpi(self.action, by=self.request.user, **form.cleaned_data)

    def success_message(self, kpi: Kpi) -> str:
        return _("The KPI was added.")


class KpiReadingCreateView(ActionFormView):
    permission_required = "actions.add_kpireading"
    form_class = KpiReadingForm

    @cached_property
    def kpi(self) -> Kpi:
        return get_object_or_404(
            Kpi.objects.select_related("action"), pk=self.kwargs["kpi_pk"], action=self.action
        )

    def get_context_data(self, form: KpiReadingForm) -> dict:
        return {
            "form": form,
            "action": self.kpi.action,
            "title": _("Record a reading: %(metric)s") % {"metric": self.kpi.metric},
        }

    def perform(self, form: KpiReadingForm) -> Any:
        return services.record_kpi_reading(self.kpi, by=self.request.user, **form.cleaned_data)

    def success_message(self, result: Any) -> str:
        return _("The reading was recorded.")

    def get_success_url(self, result: Any) -> str:
        return self.kpi.action.get_absolute_url()


class DuePreviewView(ReadMixin, PermissionView):
    """What a due phrase reads as, for the form's live preview (htmx)."""

    permission_required = "actions.change_action"

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
