"""Retention policies are set in the admin: validated, one per scope."""

import pytest
from django.urls import reverse

from enquiries.models import Category
from privacy.models import RetentionPolicy

pytestmark = pytest.mark.django_db

ADD = reverse("admin:privacy_retentionpolicy_add")


def add(client, **fields):
    data = {"queue": "", "category": "", "retain_days": "730", "basis": ""} | fields
    return client.post(ADD, {k: str(v) for k, v in data.items()})


def test_an_administrator_sets_the_default_and_a_category_period(client_as, category, support):
    client = client_as("admin")

    assert add(client).status_code == 302
    assert add(client, category=category.pk, retain_days=365).status_code == 302

    policy = RetentionPolicy.objects.get(category=category)
    assert (policy.queue, policy.scope_key) == (support, f"category:{category.pk}")
    assert RetentionPolicy.objects.get(scope_key="default").retain_days == 730


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"retain_days": "29"}, "retain_days"),
        ({"retain_days": "0"}, "retain_days"),
        ({"retain_days": "-5"}, "retain_days"),
        ({"retain_days": "36501"}, "retain_days"),
        ({"retain_days": "to år"}, "retain_days"),
        ({"basis": "Borger 110682-1449 bad om det"}, "basis"),
    ],
)
def test_a_bad_period_is_refused_naming_the_field(client_as, fields, field):
    response = add(client_as("admin"), **fields)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not RetentionPolicy.objects.exists()


def test_a_second_policy_for_the_same_scope_is_refused(client_as, category):
    client = client_as("admin")
    add(client, category=category.pk)

    response = add(client, category=category.pk, retain_days=100)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "category": ["There is already a retention policy for this."]
    }
    assert RetentionPolicy.objects.get().retain_days == 730


def test_a_category_of_another_queue_is_refused(client_as, taxonomy, category):
    response = add(client_as("admin"), queue=taxonomy["ministry"].pk, category=category.pk)

    assert response.context["adminform"].form.errors == {
        "category": ["The category belongs to another queue."]
    }


def test_only_administrators_open_the_retention_policies(client_as):
    url = reverse("admin:privacy_retentionpolicy_changelist")

    assert client_as("admin").get(url).status_code == 200
    assert client_as("secretariat").get(url).status_code == 302


def test_the_policy_reads_as_its_scope_and_period(category):
    policy = RetentionPolicy.objects.create(category=category, retain_days=365)

    assert str(policy) == f"{category.label}: 365 days"
    assert Category.objects.get(pk=category.pk).retention_policies.get() == policy
