"""Satisfaction pages: survey results, the agent's rating form, the citizen's link.

The citizen's page is public (login_not_required) and records a rating only
on a confirming POST: opening the link, as an e-mail scanner does, changes
nothing. Every other view needs a login and its model permission.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from enquiries.models import Enquiry
from enquiries.views import detail_context
from feedback import services
from feedback.filtersets import RatingPageFilterSet
from feedback.forms import RatingForm, SurveyResultForm
from feedback.models import EnquiryRating, SurveyResult
from nemid_cases.versioning import save_changed_fields
from nemid_cases.views import PermissionView, ServiceFormView, add_service_errors, messages_from


class SatisfactionView(PermissionView):
    """Survey results and a summary of the enquiry ratings.

    The summary takes the rating list's filters (queue, source, score,
    recorded_from, recorded_to) from the address, so a dashboard's month of
    ratings drills down to its scores here.
    """

    permission_required = "feedback.view_surveyresult"

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        surveys = SurveyResult.objects.visible_to(user).select_related(
            "conducted_by", "commissioned_by"
        )
        context = {"surveys": surveys, "ratings": None, "rating_filter": None}
        status = 200
        if user.has_perm("feedback.view_enquiryrating"):
            filterset = RatingPageFilterSet(
                request.GET or None,
                queryset=EnquiryRating.objects.visible_to(user),
                request=request,
            )
            ratings = filterset.queryset
            if filterset.is_bound:
                if filterset.is_valid():
                    ratings = filterset.qs
                    context["rating_filters"] = _chosen(filterset.form)
                else:
                    # Shown with the error naming the filter; no figures.
                    status, ratings = 400, ratings.none()
            context["rating_filter"] = filterset
            context["ratings"] = rating_summary(ratings)
        return render(request, "feedback/satisfaction.html", context, status=status)


def _chosen(form) -> list[tuple[str, object]]:
    """(label, value) of each filter given, for the line above the figures."""
    chosen = []
    for name, value in form.cleaned_data.items():
        if value in (None, ""):
            continue
        if name == "source":
            value = EnquiryRating.Source(value).label
        chosen.append((form.fields[name].label, value))
    return chosen


def rating_summary(ratings) -> dict:
    """The summary with each score's count and share, for templates."""
    summary = ratings.summary()
    count = summary["count"]
    summary["scores"] = [
        {
            "score": score,
            "count": summary[f"score_{score}"],
            "share": round(100 * summary[f"score_{score}"] / count, 1) if count else 0,
        }
        for score in EnquiryRating.SCORES
    ]
    summary["satisfied_share"] = round(100 * summary["satisfied"] / count, 1) if count else None
    return summary


class SurveyFormView(ServiceFormView):
    """Record a survey result, or correct one."""

    form_class = SurveyResultForm
    template_name = "feedback/survey_form.html"

    def get_permission_required(self):
        if "pk" in self.kwargs:
            return ["feedback.change_surveyresult"]
        return ["feedback.add_surveyresult"]

    @cached_property
    def survey(self) -> SurveyResult | None:
        if "pk" not in self.kwargs:
            return None
        return get_object_or_404(
            SurveyResult.objects.visible_to(self.request.user), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self) -> dict:
        return {"instance": self.survey}

    def get_context_data(self, form: SurveyResultForm) -> dict:
        return {"form": form, "survey": self.survey}

    def perform(self, form: SurveyResultForm) -> SurveyResult:
        return form.save() if self.survey is None else save_changed_fields(form)

    def success_message(self, saved: SurveyResult) -> str:
        return _("Survey result “%(source)s” saved.") % {"source": saved}

    def get_success_url(self, saved: SurveyResult) -> str:
        return reverse("feedback:satisfaction")


class EnquiryRatingMixin:
    def get_enquiry(self) -> Enquiry:
        return get_object_or_404(
            Enquiry.objects.visible_to(self.request.user).select_related("citizen"),
            reference=self.kwargs["reference"],
        )


class AgentRatingView(EnquiryRatingMixin, PermissionView):
    """The agent records the caller's rating at the end of the call."""

    permission_required = "feedback.add_enquiryrating"

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        enquiry = self.get_enquiry()
        form = RatingForm(request.POST)
        if form.is_valid():
            try:
                services.record_rating(
                    enquiry,
                    score=form.cleaned_data["score"],
                    comment=form.cleaned_data["comment"],
                    source=EnquiryRating.Source.AGENT,
                    by=request.user,
                )
            except services.AlreadyRated:
                messages.warning(request, _("This enquiry has already been rated."))
            except ValidationError as error:
                # The enquiry's state, not the input (e.g. reopened meanwhile).
                messages_from(request, error)
            else:
                messages.success(request, _("Rating recorded."))
            return redirect("enquiries:detail", reference=enquiry.reference)
        context = detail_context(request, enquiry)
        context["rating_form"] = form
        return render(request, "enquiries/enquiry_detail.html", context)


class RatingInvitationView(EnquiryRatingMixin, PermissionView):
    """E-mail the citizen their rating link (after commit, via the outbox)."""

    permission_required = "feedback.add_enquiryrating"

    def post(self, request: HttpRequest, reference: str) -> HttpResponse:
        enquiry = self.get_enquiry()
        try:
            _notification, created = services.send_rating_invitation(enquiry, by=request.user)
        except ValidationError as error:
            messages_from(request, error)
        else:
            if created:
                messages.success(request, _("The rating link is on its way to the citizen."))
            else:
                messages.info(request, _("The rating link was already sent for this resolution."))
        return redirect("enquiries:detail", reference=enquiry.reference)


@method_decorator([login_not_required, never_cache], name="dispatch")
class CitizenRatingView(PermissionView):
    """The page behind the citizen's signed link.

    GET shows the question and records nothing. POST records the rating,
    once: a second POST changes nothing and says so. A bad or expired link
    gets a page that explains, with status 400 or 410.
    """

    # Public: the signed token in the address is the permission.
    permission_required = ()
    template_name = "feedback/citizen_rating.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().dispatch(request, *args, **kwargs)
        # The token is in the address: no referrer to other sites, no search
        # engine. Not "no-referrer": browsers then send "Origin: null" with
        # the form, which the CSRF check rightly refuses.
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def _page(self, request, state: str, *, status: int = 200, **context) -> HttpResponse:
        return render(request, self.template_name, {"state": state, **context}, status=status)

    def _enquiry(self, request, token: str) -> Enquiry | HttpResponse:
        try:
            return services.read_rating_token(token)
        except services.ExpiredLink:
            return self._page(request, "expired", status=410)
        except services.InvalidLink:
            return self._page(request, "invalid", status=400)

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        enquiry = self._enquiry(request, token)
        if isinstance(enquiry, HttpResponse):
            return enquiry
        return self._show(request, enquiry, RatingForm(citizen=True))

    def _show(self, request, enquiry: Enquiry, form: RatingForm):
        if EnquiryRating.objects.filter(enquiry=enquiry).exists():
            return self._page(request, "rated", enquiry=enquiry)
        if enquiry.is_open:
            return self._page(request, "open", enquiry=enquiry)
        return self._page(request, "ask", enquiry=enquiry, form=form)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        enquiry = self._enquiry(request, token)
        if isinstance(enquiry, HttpResponse):
            return enquiry
        form = RatingForm(request.POST, citizen=True)
        if not form.is_valid():
            return self._show(request, enquiry, form)
        try:
            services.record_rating(
                enquiry,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
                source=EnquiryRating.Source.CITIZEN,
                by=None,
            )
        except services.AlreadyRated:
            return self._page(request, "rated", enquiry=enquiry)
        except ValidationError as error:
            add_service_errors(form, error)
            return self._show(request, enquiry, form)
        return self._page(request, "thanks", enquiry=enquiry)
