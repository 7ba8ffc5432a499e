"""The citizen's rating page: GET records nothing, one POST records once."""

import time
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from enquiries import services as enquiry_services
from feedback import services
from feedback.models import EnquiryRating


def rate_url(enquiry) -> str:
    return reverse("feedback:rate", args=[services.make_rating_token(enquiry)])


def test_opening_the_link_shows_the_question_and_records_nothing(resolved):
    client = Client()

    first = client.get(rate_url(resolved))
    again = client.get(rate_url(resolved))

    html = first.content.decode()
    assert first.status_code == again.status_code == 200
    assert "How satisfied are you with the help you received?" in html
    assert 'name="rating-score"' in html
    assert resolved.reference in html
    assert resolved.subject not in html  # The page shows no case details.
    assert not EnquiryRating.objects.exists()


def test_confirming_records_the_citizens_rating(resolved):
    response = Client().post(rate_url(resolved), {"rating-score": "4", "rating-comment": "Fint"})

    rating = EnquiryRating.objects.get()
    assert response.status_code == 200
    assert "Thank you for your rating" in response.content.decode()
    assert (rating.enquiry, rating.score, rating.source) == (resolved, 4, "citizen")
    assert (rating.comment, rating.recorded_by) == ("Fint", None)


def test_a_second_post_changes_nothing_and_says_so(resolved):
    client = Client()
    client.post(rate_url(resolved), {"rating-score": "2"})

    second = client.post(rate_url(resolved), {"rating-score": "5"})
    page = client.get(rate_url(resolved))

    assert EnquiryRating.objects.get().score == 2
    assert "already been rated" in second.content.decode()
    assert "already been rated" in page.content.decode()
    assert 'name="rating-score"' not in page.content.decode()


def test_a_rating_the_agent_recorded_is_not_replaced_through_the_link(resolved, personas):
    services.record_rating(resolved, score=5, source="agent", by=personas["agent"])

    response = Client().post(rate_url(resolved), {"rating-score": "1"})

    assert "already been rated" in response.content.decode()
    assert EnquiryRating.objects.get().score == 5


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"rating-score": ""},
        {"rating-score": "0"},
        {"rating-score": "6"},
        {"rating-score": "four"},
        {"rating-score": "3.5"},
        {"rating-score": "9" * 40},
        {"rating-score": "3", "rating-comment": "x" * 2001},
    ],
)
def test_bad_input_redisplays_the_question_with_the_error(resolved, data):
    response = Client().post(rate_url(resolved), data)

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert 'name="rating-score"' in html
    assert not EnquiryRating.objects.exists()


def test_the_comment_typed_is_kept_when_the_score_is_missing(resolved):
    response = Client().post(rate_url(resolved), {"rating-comment": "Lang ventetid"})

    assert "Lang ventetid</textarea>" in response.content.decode()


def test_a_nul_byte_in_the_comment_is_an_error_on_the_comment(resolved):
    response = Client().post(rate_url(resolved), {"rating-score": "3", "rating-comment": "a\x00"})

    assert response.status_code == 200
    assert 'id="id_rating-comment_error"' in response.content.decode()
    assert not EnquiryRating.objects.exists()


def _tampered(url: str) -> str:
    token = url.rstrip("/").rsplit("/", 1)[1]
    pk, rest = token.split(":", 1)
    return reverse("feedback:rate", args=[pk + "x:" + rest])


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    ("make_url", "status", "text"),
    [
        (lambda e: _tampered(rate_url(e)), 400, "The rating link is not valid"),
        (lambda e: "/feedback/rate/not-a-token/", 400, "The rating link is not valid"),
        (lambda e: "/feedback/rate/" + "A" * 500 + "/", 400, "The rating link is not valid"),
        (lambda e: "/feedback/rate/%C3%A6%C3%B8:x/", 400, "The rating link is not valid"),
    ],
)
def test_a_bad_link_gets_a_clear_page(resolved, method, make_url, status, text):
    response = getattr(Client(), method)(make_url(resolved), {"rating-score": "3"})

    assert response.status_code == status
    assert text in response.content.decode()
    assert not EnquiryRating.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_an_expired_link_gets_a_clear_page(resolved, method, settings):
    settings.FEEDBACK_RATING_LINK_MAX_AGE_DAYS = 30
    with mock.patch("time.time", return_value=time.time() - 31 * 86400):
        url = rate_url(resolved)

    response = getattr(Client(), method)(url, {"rating-score": "3"})

    assert response.status_code == 410
    assert "The rating link has expired" in response.content.decode()
    assert not EnquiryRating.objects.exists()


def test_a_link_to_a_deleted_enquiry_gets_the_invalid_page(resolved):
    url = rate_url(resolved)
    resolved.delete()

    response = Client().get(url)

    assert response.status_code == 400


def test_a_reopened_enquiry_cannot_be_rated_through_its_link(resolved, personas):
    url = rate_url(resolved)
    enquiry_services.reopen_enquiry(resolved, by=personas["agent"])

    page = Client().get(url)
    post = Client().post(url, {"rating-score": "3"})

    assert "is being worked on again" in page.content.decode()
    assert "is being worked on again" in post.content.decode()
    assert not EnquiryRating.objects.exists()


def test_the_page_is_private_to_caches_referrers_and_search_engines(resolved):
    response = Client().get(rate_url(resolved))

    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_a_post_without_the_pages_csrf_token_is_refused(resolved):
    scanner = Client(enforce_csrf_checks=True)

    response = scanner.post(rate_url(resolved), {"rating-score": "5"})

    assert response.status_code == 403
    assert not EnquiryRating.objects.exists()


def test_a_signed_in_member_of_staff_sees_the_same_page(client_as, resolved):
    response = client_as("manager").get(rate_url(resolved))

    assert response.status_code == 200
    assert not EnquiryRating.objects.exists()


@pytest.mark.parametrize(("language", "html_lang"), [("da", "da"), ("en", "en")])
def test_the_page_speaks_danish_by_default_and_english_on_request(
    resolved, settings, language, html_lang
):
    settings.LANGUAGE_CODE = "da"
    client = Client()
    if language == "en":
        client.cookies["django_language"] = "en"

    response = client.get(rate_url(resolved))

    assert f'<html lang="{html_lang}">' in response.content.decode()
    assert response["Content-Language"] == language
    # The switch to the other language is on the page.
    other = "en" if language == "da" else "da"
    assert f'name="language" value="{other}"' in response.content.decode()
