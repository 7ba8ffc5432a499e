"""Every model of the project has an admin page with list filters and search."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

# Models left out of the admin, each with the reason.
WITHOUT_ADMIN = {
    # SQLite's stand-in for the reference sequence: an edit could hand out
    # a reference twice.
    "enquiries.ReferenceCounter",
    # Stored API answers, replayed for a repeated Idempotency-Key for 24
    # hours: digests and copies of answers, nothing to look at or edit.
    "accounts.IdempotentRequest",
    # No table: these only carry a permission.
    "reports.Report",
    "dashboards.Dashboard",
    # Shown inline on their e-mail's admin page (read-only); the files are
    # served only by the permission-checked download view.
    "mailroom.InboundAttachment",
    # Shown inline on their e-mail's admin page (read-only): the decisions
    # are a log written only by mailroom.services.
    "mailroom.MessageDecision",
}


def project_models() -> list:
    """The models of the project's own apps, not Django's or a library's."""
    return [
        model
        for model in apps.get_models()
        if "site-packages" not in model._meta.app_config.path and model._meta.app_label != "tests"
    ]


def registered() -> list:
    return [model for model in project_models() if model in admin.site._registry]


def test_every_model_has_an_admin_unless_listed_with_a_reason():
    without = {model._meta.label for model in project_models() if model not in registered()}

    assert without == WITHOUT_ADMIN


@pytest.mark.parametrize("model", registered(), ids=lambda m: m._meta.label)
def test_each_admin_has_list_filters_and_search(model):
    model_admin = admin.site._registry[model]

    assert model_admin.list_filter, f"{model._meta.label} has no list_filter"
    assert model_admin.search_fields, f"{model._meta.label} has no search_fields"


@pytest.mark.parametrize("model", registered(), ids=lambda m: m._meta.label)
def test_each_admin_list_opens_with_a_search(admin_client, model):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")

    # A search runs every search_fields lookup and the page builds every
    # list filter, so a wrong one fails here rather than on a user.
    response = admin_client.get(url, {"q": "NemID"})

    assert response.status_code == 200
