"""The secretariat's pages: organisations, meetings, recommendations, follow-ups.

Every view starts from `Model.objects.visible_to(user)`, so a row the user
may not read is a 404; the permission each view needs is a Django model
permission granted by role (accounts.roles), so a missing one is a 403.
Writes go through stakeholders.services, like the API's.
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import DetailView, ListView, TemplateView

from actions.models import Action
from nemid_cases.versioning import VersionedFormMixin, save_changed_fields
from nemid_cases.views import PermissionView, ServiceFormView
from stakeholders import services
from stakeholders.filtersets import (
    ContactFilterSet,
    FollowUpFilterSet,
    MeetingFilterSet,
    OrganisationFilterSet,
    RecommendationFilterSet,
    WorkingGroupFilterSet,
)
from stakeholders.forms import (
    AttachmentForm,
    ContactForm,
    FollowUpForm,
    MeetingForm,
    MeetingRecommendationForm,
    NewRecommendationForm,
    OrganisationForm,
    RecommendationForm,
    ResolveFollowUpForm,
    RespondForm,
    WorkingGroupForm,
)
from stakeholders.models import (
    Contact,
    FollowUp,
    Meeting,
    MeetingAttachment,
    Organisation,
    Recommendation,
    WorkingGroup,
)

OPEN_ACTION_STATUSES = [s for s in Action.Status if s not in Action.FINISHED_STATUSES]


def _subquery_count(model, fk: str, **filters) -> Coalesce:
    """A correlated COUNT, so several counts on one list never multiply."""
    counted = (
        model.objects.filter(**{fk: OuterRef("pk")}, **filters)
        .order_by()
        .values(fk)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


class SecretariatView(PermissionView):
    """Needs a model permission; adds the counts the section navigation shows."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.has_perm("stakeholders.view_followup"):
            context["open_follow_up_count"] = FollowUp.objects.visible_to(user).open().count()
            context["undecided_count"] = Recommendation.objects.visible_to(user).undecided().count()
        return context


class FilteredListView(SecretariatView, ListView):
    """A list narrowed by the FilterSet the API uses too."""

    filterset_class: type
    paginate_by = 50

    def base_queryset(self):
        return self.model.objects.visible_to(self.request.user)

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.base_queryset(), request=self.request
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            # The form shows the error; listing everything would hide it.
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filterset"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


class EditView(SecretariatView, ServiceFormView):
    """A create or edit page whose valid form goes to `perform(form)`.

    A ValidationError from a service is shown on the form with what the
    user typed, and nothing is saved (one transaction).
    """

    template_name = "stakeholders/form.html"
    page_title = ""
    object = None
    # The edited row's model; None on create pages.
    model = None

    def get_object(self):
        if self.model is None or "pk" not in self.kwargs:
            return None
        scope = self.model.objects.visible_to(self.request.user)
        return get_object_or_404(scope, pk=self.kwargs["pk"])

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and self.has_permission():
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # Initial values on POST too: what the user changed is measured from them.
        kwargs = {"initial": self.get_initial()}
        if self.object is not None and hasattr(self.form_class, "_meta"):
            # The form's own copy: a ModelForm writes what was typed onto its
            # instance while validating, and a service compares `self.object`
            # with the new values to find what changed.
            kwargs["instance"] = self.get_object()
        return kwargs

    def perform(self, form):
        if isinstance(form, VersionedFormMixin) and form.edits_row:
            return save_changed_fields(form)
        return form.save()

    def success_message(self, saved) -> str:
        return _("Saved.")

    def get_success_url(self, saved) -> str:
        return saved.get_absolute_url() if hasattr(saved, "get_absolute_url") else "/"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page_title"] = self.page_title
        context["object"] = self.object
        context["cancel_url"] = self.cancel_url()
        return context

    def cancel_url(self) -> str:
        if self.object is not None and hasattr(self.object, "get_absolute_url"):
            return self.object.get_absolute_url()
        return reverse("stakeholders:overview")


class OverviewView(SecretariatView, TemplateView):
    """What the secretariat must not lose: open follow-ups, undecided advice."""

    permission_required = "stakeholders.view_followup"
    template_name = "stakeholders/overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["open_follow_ups"] = list(FollowUp.objects.visible_to(user).open().for_list())
        context["undecided"] = list(Recommendation.objects.visible_to(user).undecided().for_list())
        context["recent_meetings"] = list(
            Meeting.objects.visible_to(user).prefetch_related("organisations")[:5]
        )
        return context


class OrganisationListView(FilteredListView):
    model = Organisation
    permission_required = "stakeholders.view_organisation"
    filterset_class = OrganisationFilterSet
    template_name = "stakeholders/organisation_list.html"

    def base_queryset(self):
        return (
            super()
            .base_queryset()
            .annotate(
                contact_count=_subquery_count(Contact, "organisation", is_active=True),
                recommendation_count=_subquery_count(Recommendation, "organisation"),
                owed_follow_up_count=_subquery_count(
                    FollowUp, "awaited_organisation", resolved_on__isnull=True
                ),
                open_action_count=_subquery_count(Action, "owner", status__in=OPEN_ACTION_STATUSES),
            )
        )


class OrganisationDetailView(SecretariatView, DetailView):
    model = Organisation
    permission_required = "stakeholders.view_organisation"
    template_name = "stakeholders/organisation_detail.html"

    def get_queryset(self):
        return Organisation.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        org, user = self.object, self.request.user
        context["contacts"] = org.contacts.all()
        context["working_groups"] = org.working_groups.all()
        context["meetings"] = org.meetings.all()
        context["recommendations"] = (
            Recommendation.objects.visible_to(user).filter(organisation=org).for_list()
        )
        follow_ups = FollowUp.objects.visible_to(user).for_list()
        context["owed_follow_ups"] = follow_ups.filter(awaited_organisation=org)
        context["waiting_follow_ups"] = follow_ups.filter(waiting_organisation=org)
        context["owned_actions"] = (
            Action.objects.visible_to(user).filter(owner=org).open().select_related("theme")
        )
        return context


class OrganisationCreateView(EditView):
    permission_required = "stakeholders.add_organisation"
    form_class = OrganisationForm
    page_title = gettext_lazy("New organisation")

    def success_message(self, saved) -> str:
        return _("The organisation %(name)s was added.") % {"name": saved}


class OrganisationUpdateView(EditView):
    permission_required = "stakeholders.change_organisation"
    form_class = OrganisationForm
    page_title = gettext_lazy("Edit organisation")

    model = Organisation


class ContactListView(FilteredListView):
    model = Contact
    permission_required = "stakeholders.view_contact"
    filterset_class = ContactFilterSet
    template_name = "stakeholders/contact_list.html"

    def base_queryset(self):
        return super().base_queryset().select_related("organisation", "user")


class ContactCreateView(EditView):
    permission_required = "stakeholders.add_contact"
    form_class = ContactForm
    page_title = gettext_lazy("New contact")

    def get_initial(self):
        return {"organisation": self.request.GET.get("organisation")}

    def success_message(self, saved) -> str:
        return _("The contact %(name)s was added.") % {"name": saved.name}


class ContactUpdateView(EditView):
    permission_required = "stakeholders.change_contact"
    form_class = ContactForm
    page_title = gettext_lazy("Edit contact")

    model = Contact


class WorkingGroupListView(FilteredListView):
    model = WorkingGroup
    permission_required = "stakeholders.view_workinggroup"
    filterset_class = WorkingGroupFilterSet
    template_name = "stakeholders/workinggroup_list.html"

    def base_queryset(self):
        return (
            super()
            .base_queryset()
            .prefetch_related("members")
            .annotate(meeting_count=_subquery_count(Meeting, "working_group"))
        )


class WorkingGroupDetailView(SecretariatView, DetailView):
    model = WorkingGroup
    permission_required = "stakeholders.view_workinggroup"
    template_name = "stakeholders/workinggroup_detail.html"

    def get_queryset(self):
        return WorkingGroup.objects.visible_to(self.request.user).prefetch_related(
            "members", Prefetch("meetings", Meeting.objects.prefetch_related("organisations"))
        )


class WorkingGroupCreateView(EditView):
    permission_required = "stakeholders.add_workinggroup"
    form_class = WorkingGroupForm
    page_title = gettext_lazy("New working group")


class WorkingGroupUpdateView(EditView):
    permission_required = "stakeholders.change_workinggroup"
    form_class = WorkingGroupForm
    page_title = gettext_lazy("Edit working group")

    model = WorkingGroup


class MeetingListView(FilteredListView):
    model = Meeting
    permission_required = "stakeholders.view_meeting"
    filterset_class = MeetingFilterSet
    template_name = "stakeholders/meeting_list.html"

    def base_queryset(self):
        return (
            super()
            .base_queryset()
            .select_related("working_group")
            .prefetch_related("organisations")
            .annotate(
                recommendation_count=_subquery_count(Recommendation, "meeting"),
                undecided_count=_subquery_count(
                    Recommendation, "meeting", status=Recommendation.Status.NEW
                ),
                attachment_count=_subquery_count(MeetingAttachment, "meeting"),
            )
        )


class MeetingDetailView(SecretariatView, DetailView):
    model = Meeting
    permission_required = "stakeholders.view_meeting"
    template_name = "stakeholders/meeting_detail.html"

    def get_queryset(self):
        return (
            Meeting.objects.visible_to(self.request.user)
            .select_related("working_group", "created_by")
            .prefetch_related(
                "organisations",
                Prefetch("attendees", Contact.objects.select_related("organisation")),
                Prefetch("attachments", MeetingAttachment.objects.select_related("uploaded_by")),
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting, user = self.object, self.request.user
        context["recommendations"] = (
            Recommendation.objects.visible_to(user).filter(meeting=meeting).for_list()
        )
        context["follow_ups"] = FollowUp.objects.visible_to(user).filter(meeting=meeting).for_list()
        context["actions"] = Action.objects.visible_to(user).filter(origin_meetings=meeting)
        if user.has_perm("stakeholders.add_recommendation"):
            context.setdefault("recommendation_form", MeetingRecommendationForm(meeting=meeting))
        if user.has_perm("stakeholders.add_meetingattachment"):
            context.setdefault("attachment_form", AttachmentForm())
        return context


class MeetingCreateView(EditView):
    permission_required = "stakeholders.add_meeting"
    form_class = MeetingForm
    page_title = gettext_lazy("Record a meeting")

    def get_initial(self):
        value = self.request.GET.get("working_group", "")
        if not value.isdigit():
            return {}
        group = WorkingGroup.objects.filter(pk=value).prefetch_related("members").first()
        if group is None:
            return {}
        return {"working_group": group, "organisations": list(group.members.all())}

    def perform(self, form):
        return services.record_meeting(by=self.request.user, **form.service_kwargs())

    def success_message(self, saved) -> str:
        return _("The meeting was recorded. Add its recommendations below.")


class MeetingUpdateView(EditView):
    permission_required = "stakeholders.change_meeting"
    form_class = MeetingForm
    page_title = gettext_lazy("Edit meeting")

    model = Meeting

    def perform(self, form):
        return services.update_meeting(self.object, by=self.request.user, **form.service_kwargs())


class MeetingRecommendationCreateView(EditView):
    """Add a recommendation made at a meeting (the form also sits on its page)."""

    permission_required = "stakeholders.add_recommendation"
    form_class = MeetingRecommendationForm
    template_name = "stakeholders/meeting_recommendation_form.html"
    page_title = gettext_lazy("Add a recommendation made at the meeting")

    model = Meeting

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return {**kwargs, "meeting": self.object}

    def perform(self, form):
        return services.record_recommendation(
            form.cleaned_data["organisation"], by=self.request.user, **form.service_kwargs()
        )

    def get_success_url(self, saved) -> str:
        return self.object.get_absolute_url() + "#recommendations"

    def success_message(self, saved) -> str:
        return _("The recommendation from %(organisation)s was added.") % {
            "organisation": saved.organisation
        }


class AttachmentUploadView(ServiceFormView):
    """Attach a file to a meeting; refused, the meeting's page shows why."""

    permission_required = "stakeholders.add_meetingattachment"
    http_method_names = ["post"]
    form_class = AttachmentForm
    template_name = MeetingDetailView.template_name

    @cached_property
    def meeting(self) -> Meeting:
        return get_object_or_404(
            Meeting.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def perform(self, form: AttachmentForm) -> MeetingAttachment:
        return services.add_attachment(
            self.meeting, upload=form.cleaned_data["file"], by=self.request.user
        )

    def get_context_data(self, form: AttachmentForm) -> dict:
        view = MeetingDetailView()
        view.setup(self.request, pk=self.meeting.pk)
        view.object = view.get_object()
        return view.get_context_data(object=view.object, attachment_form=form)

    def success_message(self, attachment: MeetingAttachment) -> str:
        return _("%(name)s was attached.") % {"name": attachment.original_name}

    def get_success_url(self, attachment: MeetingAttachment) -> str:
        return self.meeting.get_absolute_url() + "#attachments"


def _visible_attachment(request: HttpRequest, pk: int) -> MeetingAttachment:
    meetings = Meeting.objects.visible_to(request.user)
    return get_object_or_404(
        MeetingAttachment.objects.select_related("meeting"), pk=pk, meeting__in=meetings
    )


class AttachmentDownloadView(SecretariatView):
    """Serve a stored file as a download, never inline and never sniffed."""

    permission_required = "stakeholders.view_meetingattachment"
    http_method_names = ["get"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        attachment = _visible_attachment(request, pk)
        try:
            handle = attachment.file.open("rb")
        except FileNotFoundError as missing:
            raise Http404(_("The file is missing from storage.")) from missing
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response


class AttachmentDeleteView(SecretariatView):
    permission_required = "stakeholders.delete_meetingattachment"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        attachment = _visible_attachment(request, pk)
        meeting = attachment.meeting
        services.remove_attachment(attachment, by=request.user)
        messages.success(request, _("%(name)s was removed.") % {"name": attachment.original_name})
        return redirect(meeting.get_absolute_url() + "#attachments")


class RecommendationListView(FilteredListView):
    model = Recommendation
    permission_required = "stakeholders.view_recommendation"
    filterset_class = RecommendationFilterSet
    template_name = "stakeholders/recommendation_list.html"

    def base_queryset(self):
        # Undecided first: they are the ones waiting for the secretariat.
        return (
            super()
            .base_queryset()
            .for_list()
            .annotate(is_decided=~Q(status=Recommendation.Status.NEW))
            .order_by("is_decided", "organisation__name", "id")
        )


class RecommendationDetailView(SecretariatView, DetailView):
    model = Recommendation
    permission_required = "stakeholders.view_recommendation"
    template_name = "stakeholders/recommendation_detail.html"

    def get_queryset(self):
        return (
            Recommendation.objects.visible_to(self.request.user)
            .for_list()
            .select_related("created_by")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rec, user = self.object, self.request.user
        context["events"] = rec.events.select_related("actor")
        context["actions"] = (
            Action.objects.visible_to(user)
            .filter(origin_recommendations=rec)
            .select_related("owner", "theme")
            .prefetch_related("follow_ups")
        )
        context["follow_ups"] = FollowUp.objects.visible_to(user).filter(recommendation=rec)
        if user.has_perm("stakeholders.change_recommendation"):
            context.setdefault("respond_form", RespondForm(instance=rec))
        return context


class RecommendationCreateView(EditView):
    permission_required = "stakeholders.add_recommendation"
    form_class = NewRecommendationForm
    page_title = gettext_lazy("Record a recommendation")

    def get_initial(self):
        return {"organisation": self.request.GET.get("organisation")}

    def perform(self, form):
        return services.record_recommendation(
            form.cleaned_data["organisation"], by=self.request.user, **form.service_kwargs()
        )

    def success_message(self, saved) -> str:
        return _("The recommendation was recorded.")


class RecommendationUpdateView(EditView):
    permission_required = "stakeholders.change_recommendation"
    form_class = RecommendationForm
    page_title = gettext_lazy("Edit recommendation")

    model = Recommendation

    def perform(self, form):
        return services.update_recommendation(
            self.object,
            by=self.request.user,
            organisation=form.cleaned_data["organisation"],
            **form.service_kwargs(),
        )


class RecommendationRespondView(EditView):
    permission_required = "stakeholders.change_recommendation"
    form_class = RespondForm
    template_name = "stakeholders/recommendation_respond.html"
    page_title = gettext_lazy("Respond to the recommendation")

    def get_object(self):
        return get_object_or_404(
            Recommendation.objects.visible_to(self.request.user).select_related(
                "organisation", "meeting"
            ),
            pk=self.kwargs["pk"],
        )

    def perform(self, form):
        data = form.cleaned_data
        return services.respond_to_recommendation(
            self.object,
            status=data["status"],
            response=data["response"],
            rationale=data["rationale"],
            by=self.request.user,
        )

    def success_message(self, saved) -> str:
        return _("The response was saved; the status is now “%(status)s”.") % {
            "status": saved.get_status_display()
        }


class FollowUpListView(FilteredListView):
    model = FollowUp
    permission_required = "stakeholders.view_followup"
    filterset_class = FollowUpFilterSet
    template_name = "stakeholders/followup_list.html"

    def base_queryset(self):
        return super().base_queryset().for_list()


class FollowUpDetailView(SecretariatView, DetailView):
    model = FollowUp
    permission_required = "stakeholders.view_followup"
    template_name = "stakeholders/followup_detail.html"

    def get_queryset(self):
        return (
            FollowUp.objects.visible_to(self.request.user)
            .for_list()
            .select_related("resolved_by", "created_by")
        )


class FollowUpCreateView(EditView):
    permission_required = "stakeholders.add_followup"
    form_class = FollowUpForm
    page_title = gettext_lazy("Wait on someone")

    def get_initial(self):
        initial = {}
        for name in ("meeting", "recommendation", "awaited_organisation"):
            value = self.request.GET.get(name, "")
            if value.isdigit():
                initial[name] = value
        initial["waiting_user"] = self.request.user.pk
        return initial

    def perform(self, form):
        return services.open_follow_up(by=self.request.user, **form.service_kwargs())

    def success_message(self, saved) -> str:
        return _("The follow-up is open until what is awaited arrives.")


class FollowUpUpdateView(EditView):
    permission_required = "stakeholders.change_followup"
    form_class = FollowUpForm
    page_title = gettext_lazy("Edit follow-up")

    model = FollowUp

    def perform(self, form):
        return services.update_follow_up(self.object, by=self.request.user, **form.service_kwargs())


class FollowUpResolveView(EditView):
    permission_required = "stakeholders.change_followup"
    form_class = ResolveFollowUpForm
    template_name = "stakeholders/followup_resolve.html"
    page_title = gettext_lazy("Mark as received")

    def get_object(self):
        return get_object_or_404(
            FollowUp.objects.visible_to(self.request.user).for_list(), pk=self.kwargs["pk"]
        )

    def perform(self, form):
        return services.resolve_follow_up(
            self.object,
            resolved_on=form.cleaned_data["resolved_on"],
            note=form.cleaned_data["note"],
            by=self.request.user,
        )

    def success_message(self, saved) -> str:
        return _("Marked as received: %(subject)s.") % {"subject": saved.subject}


class FollowUpReopenView(SecretariatView):
    permission_required = "stakeholders.change_followup"
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        follow_up = get_object_or_404(FollowUp.objects.visible_to(request.user), pk=pk)
        services.reopen_follow_up(follow_up, by=request.user)
        messages.success(request, _("The follow-up is open again."))
        return redirect(follow_up.get_absolute_url())
