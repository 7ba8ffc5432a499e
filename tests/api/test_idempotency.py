"""A POST repeated with the same Idempotency-Key is done once."""

import datetime
import json

import pytest
from django.utils import timezone

from accounts.models import IdempotentRequest
from enquiries.models import Citizen, Enquiry

CITIZENS = "/api/v1/citizens/"
ENQUIRIES = "/api/v1/enquiries/"


def post(client, url: str, body: dict, key: str | None):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(url, json.dumps(body), content_type="application/json", headers=headers)


def test_a_repeated_post_returns_the_first_answer_and_creates_one_row(client_as, taxonomy):
    client = client_as("agent")
    body = {"queue": "support", "subject": "Kan ikke logge på"}

    first = post(client, ENQUIRIES, body, "call-4711")
    second = post(client, ENQUIRIES, body, "call-4711")

    assert first.status_code == second.status_code == 201, first.content
    assert second.json() == first.json()
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first
    assert Enquiry.objects.count() == 1


def test_without_a_key_each_post_creates_a_row(client_as):
    client = client_as("agent")

    for _ in range(2):
        assert post(client, CITIZENS, {"name": "Ole Hansen"}, None).status_code == 201

    assert Citizen.objects.count() == 2


def test_a_key_reused_for_another_body_is_refused(client_as):
    client = client_as("agent")
    post(client, CITIZENS, {"name": "Ole Hansen"}, "k-1")

    response = post(client, CITIZENS, {"name": "Eva Hansen"}, "k-1")

    assert response.status_code == 422
    assert response.json()["detail"]
    assert list(Citizen.objects.values_list("name", flat=True)) == ["Ole Hansen"]


def test_keys_belong_to_their_user(client_as):
    post(client_as("agent"), CITIZENS, {"name": "Ole Hansen"}, "k-1")

    response = post(client_as("team_lead"), CITIZENS, {"name": "Ole Hansen"}, "k-1")

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Citizen.objects.count() == 2


def test_a_refused_post_is_not_stored_so_the_corrected_one_goes_through(client_as):
    client = client_as("agent")

    refused = post(client, CITIZENS, {"name": ""}, "k-1")
    refused_again = post(client, CITIZENS, {"name": ""}, "k-1")

    assert refused.status_code == refused_again.status_code == 400
    assert not IdempotentRequest.objects.exists()
    # The same key with another body, since nothing was done under it.
    assert post(client, CITIZENS, {"name": "Ole Hansen"}, "k-1").status_code == 201


def test_an_expired_key_does_the_work_again(client_as):
    client = client_as("agent")
    post(client, CITIZENS, {"name": "Ole Hansen"}, "k-1")
    IdempotentRequest.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    response = post(client, CITIZENS, {"name": "Ole Hansen"}, "k-1")

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert Citizen.objects.count() == 2
    assert IdempotentRequest.objects.get().expires_at > timezone.now()


@pytest.mark.parametrize("key", ["", "x" * 256, "with space", "æøå"])
def test_an_unusable_key_is_a_400_and_nothing_is_done(client_as, key):
    response = post(client_as("agent"), CITIZENS, {"name": "Ole Hansen"}, key)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()
    assert not Citizen.objects.exists()


def test_the_same_key_on_a_row_action_replays_it(client_as, enquiry):
    client = client_as("agent")
    url = f"{ENQUIRIES}{enquiry.pk}/notes/"

    answers = [post(client, url, {"text": "Ringede igen"}, "note-1") for _ in range(2)]

    assert [a.status_code for a in answers] == [answers[0].status_code] * 2
    assert answers[0].status_code < 300
    assert enquiry.events.filter(kind="note").count() == 1


def test_an_answer_holding_a_cpr_number_is_not_stored(client_as, citizen, enquiry):
    # The enquiry names the citizen, so the team lead may see them.
    client = client_as("team_lead")
    url = f"{CITIZENS}{citizen.pk}/reveal-cpr/"

    answers = [post(client, url, {"reason": "Borgeren bad om det."}, "r-1") for _ in range(2)]

    assert [a.status_code for a in answers] == [200, 200]
    assert "Idempotent-Replayed" not in answers[1]
    assert not IdempotentRequest.objects.exists()


def key_whose_digest_looks_like_a_cpr_number() -> str:
    """A client key whose SHA-256 hex digest holds ten digits that read as a CPR number."""
    import hashlib

    from django.core.exceptions import ValidationError

    from enquiries.cpr import reject_cpr_in_text

    for number in range(100_000):
        key = f"call-{number}"
        try:
            reject_cpr_in_text(hashlib.sha256(key.encode()).hexdigest())
        except ValidationError:
            return key
    raise AssertionError("no such key in 100,000")


def test_a_key_whose_digest_holds_cpr_like_digits_is_stored_and_replayed(client_as):
    # The digest is no text a person wrote: the CPR guard lets it through.
    client = client_as("agent")
    key = key_whose_digest_looks_like_a_cpr_number()

    first = post(client, CITIZENS, {"name": "Ole Hansen"}, key)
    second = post(client, CITIZENS, {"name": "Ole Hansen"}, key)

    assert first.status_code == second.status_code == 201, first.content
    assert second["Idempotent-Replayed"] == "true"
    assert Citizen.objects.count() == 1
