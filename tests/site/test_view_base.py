"""One way to write a page: the URL map walked, and the shared error mapper.

Every view of this project's apps that is not an API view derives from
nemid_cases.views.PermissionView, so it names its permission (or says it
needs none) and answers 403 rather than a login loop. A new page on a plain
View, a generic view alone or a function fails here.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.views import APIView

from enquiries import services as enquiry_services
from nemid_cases.views import PermissionView, add_service_errors

# Project views that are not pages built here, each with the reason.
NOT_PAGES = {
    "accounts.views.LoginView": "Django's login view, extended",
    "accounts.views.set_language": "Django's language switch: a POST that redirects",
    "operations.views.health": "JSON for load balancers",
    "operations.views.ready": "JSON for load balancers",
    "notices.status_views.feed_json": "a feed (JSON), answered from the cache",
    "notices.status_views.feed_atom": "a feed (Atom), answered from the cache",
}


def _project_packages() -> set[str]:
    """The apps whose code lives in this repository."""
    base = Path(settings.BASE_DIR)
    return {app for app in settings.INSTALLED_APPS if (base / app).is_dir()}


def _walk(resolver: URLResolver, prefix: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def project_views() -> list[tuple[str, str, object]]:
    """(route, dotted name, view class or function) of every project view
    that is not an API view."""
    packages = _project_packages()
    found = []
    for route, callback in _walk(get_resolver()):
        view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        view = view or callback
        module = getattr(view, "__module__", "")
        if module.split(".")[0] not in packages:
            continue
        if isinstance(view, type) and issubclass(view, APIView):
            continue
        found.append((route, f"{module}.{view.__qualname__}", view))
    return found


def test_the_walk_finds_the_pages_of_every_app():
    names = {name for _route, name, _view in project_views()}
    # Named so the walk cannot pass by finding nothing.
    assert "enquiries.views.EnquiryListView" in names
    assert "stakeholders.views.MeetingDetailView" in names
    assert "feedback.views.CitizenRatingView" in names
    assert set(NOT_PAGES) <= names, "an exemption names a view that no longer exists"


def test_every_page_is_built_on_the_base_view():
    stray = [
        f"/{route} -> {name}"
        for route, name, view in project_views()
        if name not in NOT_PAGES
        and not (isinstance(view, type) and issubclass(view, PermissionView))
    ]
    assert not stray, "pages not built on nemid_cases.views.PermissionView:\n" + "\n".join(stray)


class _Form(forms.Form):
    subject = forms.CharField()
    follow_up_owner = forms.CharField(required=False)


def _bound() -> _Form:
    form = _Form({"subject": "x"})
    assert form.is_valid()
    return form


def test_a_field_keyed_error_goes_on_its_field():
    form = _bound()
    add_service_errors(form, ValidationError({"subject": "Too vague."}))
    assert form.errors == {"subject": ["Too vague."]}


@pytest.mark.parametrize(
    "error",
    [
        ValidationError("The enquiry was closed meanwhile."),
        ValidationError(["The enquiry was closed meanwhile."]),
        ValidationError({"queue": "The enquiry was closed meanwhile."}),
    ],
    ids=["message", "list", "unknown-field"],
)
def test_an_error_not_keyed_by_a_field_of_the_form_goes_on_top(error):
    form = _bound()
    add_service_errors(form, error)
    assert form.non_field_errors() == ["The enquiry was closed meanwhile."]
    assert "subject" not in form.errors


def test_a_service_field_is_renamed_to_the_forms():
    form = _bound()
    add_service_errors(
        form, ValidationError({"owner": "Not active."}), field_map={"owner": "follow_up_owner"}
    )
    assert form.errors == {"follow_up_owner": ["Not active."]}


def test_a_message_with_parameters_is_shown_filled_in():
    form = _bound()
    error = ValidationError({"subject": ValidationError("At most %(n)s.", params={"n": 3})})
    add_service_errors(form, error)
    assert form.errors["subject"] == ["At most 3."]


def test_an_edit_form_that_fills_its_own_initial_values_shows_the_row(
    client_as, taxonomy, personas
):
    # EnquiryEditForm takes its initial values from the enquiry when the
    # view passes none: the base view must not pass an empty dict.
    enquiry = enquiry_services.register_enquiry(
        taxonomy["support"], by=personas["agent"], subject="Kode ikke modtaget", priority=3
    )

    response = client_as("agent").get(reverse("enquiries:edit", args=[enquiry.reference]))

    form = response.context["form"]
    assert form["subject"].value() == "Kode ikke modtaget"
    assert form["priority"].value() == 3
    assert form["queue"].value() == taxonomy["support"].pk
