"""The public status page, its feeds and widget: anonymous, cached, CORS on
the feeds only."""

import json
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from notices import services
from tests.browser.live import free_port

pytestmark = pytest.mark.django_db


def test_the_status_page_is_danish_by_default_and_english_on_request(publish):
    publish()
    client = Client()

    danish = client.get(reverse("status:page"))
    english = client.get(reverse("status:page"), {"lang": "en"})

    assert '<html lang="da">' in danish.content.decode()
    assert "Log-in er nede" in danish.content.decode()
    assert "Log-in med NemID virker ikke lige nu" in danish.content.decode()
    assert "Berørte tjenester" in danish.content.decode()
    assert '<html lang="en">' in english.content.decode()
    assert "Log-in is down" in english.content.decode()
    assert "Affected services" in english.content.decode()


def test_the_status_page_says_all_is_well_without_an_incident(db):
    response = Client().get(reverse("status:page"))

    assert "Alle NemID-tjenester kører normalt." in response.content.decode()


def test_the_status_page_may_be_cached_and_sets_no_cookie(publish):
    publish()

    response = Client().get(reverse("status:page"))

    assert response["Cache-Control"] == "public, max-age=30"
    assert not response.cookies
    assert "Access-Control-Allow-Origin" not in response


def test_the_json_feed_lists_the_incident_with_both_languages(publish, texts):
    incident = publish()

    response = Client().get(reverse("status:feed-json"))

    data = json.loads(response.content)
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Cache-Control"] == "public, max-age=30"
    assert response["ETag"] and response["Last-Modified"]
    assert data["ongoing"] is True
    [item] = data["incidents"]
    assert item["id"] == incident.pk
    assert item["services"] == ["login", "netbank_login"]
    assert item["service_names"]["da"] == ["Log-in", "Log-in i netbank"]
    assert item["updates"][0]["text"]["en"] == texts["down"].text_en
    assert item["updates"][0]["standard_text"] == {"code": "login-down", "version": 1}


def test_a_matching_etag_gets_304_and_a_change_gets_a_new_etag(
    publish, django_capture_on_commit_callbacks
):
    incident = publish()
    client = Client()
    first = client.get(reverse("status:feed-json"))

    again = client.get(reverse("status:feed-json"), headers={"if-none-match": first["ETag"]})
    # The cached copies go when the change commits.
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve_incident(incident, text_code="fixed", by=None)
    changed = client.get(reverse("status:feed-json"), headers={"if-none-match": first["ETag"]})

    assert again.status_code == 304 and again.content == b""
    assert again["Access-Control-Allow-Origin"] == "*"
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert json.loads(changed.content)["ongoing"] is False


def test_if_modified_since_gets_304(publish):
    publish()
    client = Client()
    first = client.get(reverse("status:feed-json"))

    again = client.get(
        reverse("status:feed-json"), headers={"if-modified-since": first["Last-Modified"]}
    )

    assert again.status_code == 304


def test_the_atom_feed_has_an_entry_per_update_in_the_chosen_language(publish):
    incident = publish()
    services.post_incident_update(incident, text_code="login-down", by=None)

    danish = Client().get(reverse("status:feed-atom"))
    english = Client().get(reverse("status:feed-atom"), {"lang": "en"})

    assert danish["Content-Type"].startswith("application/atom+xml")
    assert danish["Access-Control-Allow-Origin"] == "*"
    assert danish.content.decode().count("<entry>") == 2
    assert "Log-in er nede" in danish.content.decode()
    assert "Log-in is down" in english.content.decode()


def test_incidents_ended_over_a_week_ago_leave_the_page(publish):
    old = publish(started_at=timezone.now() - timedelta(days=10), title_da="Gammel sag")
    services.resolve_incident(
        old, text_code="fixed", ended_at=timezone.now() - timedelta(days=9), by=None
    )

    response = Client().get(reverse("status:page"))

    assert "Gammel sag" not in response.content.decode()


def test_the_widget_may_be_framed_by_any_site_and_the_page_by_none(db):
    widget = Client().get(reverse("status:widget"))
    page = Client().get(reverse("status:page"))

    assert "frame-ancestors *" in widget["Content-Security-Policy"]
    assert "X-Frame-Options" not in widget
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]


def test_the_feeds_refuse_a_post(db):
    response = Client().post(reverse("status:feed-json"))

    assert response.status_code == 405


def test_the_feeds_are_answered_before_sessions_and_csp(publish):
    publish()

    response = Client().get(reverse("status:feed-json"))

    # StatusFeedMiddleware answered: no session was read, no page policy set.
    assert "Cookie" not in response.get("Vary", "")
    assert "Content-Security-Policy" not in response
    assert response["X-Content-Type-Options"] == "nosniff"


def test_the_status_page_is_cached_until_a_change_commits(
    publish, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        incident = publish()
    client = Client()
    client.get(reverse("status:page"))

    with django_assert_num_queries(0):
        cached = client.get(reverse("status:page"))
    with django_capture_on_commit_callbacks(execute=True):
        services.resolve_incident(incident, text_code="fixed", by=None)
    fresh = client.get(reverse("status:page"))

    assert "Aktuelle driftsforstyrrelser" in cached.content.decode()
    assert "Aktuelle driftsforstyrrelser" not in fresh.content.decode()
    assert "Løst inden for de sidste syv dage" in fresh.content.decode()


def test_the_feeds_answer_before_any_incident_was_published(db):
    json_feed = Client().get(reverse("status:feed-json"))
    atom_feed = Client().get(reverse("status:feed-atom"))

    assert json.loads(json_feed.content)["incidents"] == []
    assert json_feed["Last-Modified"] == "Fri, 01 Jan 2010 00:00:00 GMT"
    assert atom_feed.status_code == 200


def test_the_status_page_and_feeds_are_served_with_the_cache_down(publish):
    # A Redis nobody listens on: every read and write of the cache fails;
    # the public page is what citizens read during an outage of ours.
    publish()
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }

    with override_settings(CACHES=down):
        page = Client().get(reverse("status:page"))
        feed = Client().get(reverse("status:feed-json"))
        atom = Client().get(reverse("status:feed-atom"))

    assert page.status_code == 200
    assert "Log-in er nede" in page.content.decode()
    assert json.loads(feed.content)["ongoing"] is True
    assert atom.status_code == 200


def test_an_incident_is_published_with_the_cache_down(texts, django_capture_on_commit_callbacks):
    # Its cached copies cannot be deleted then: they expire by their timeout,
    # and the change that committed is not answered with an error.
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        }
    }

    with override_settings(CACHES=down), django_capture_on_commit_callbacks(execute=True):
        incident = services.publish_incident(
            title_da="Log-in er nede",
            title_en="Log-in is down",
            services=["login"],
            severity="outage",
            started_at=timezone.now(),
            text_code="login-down",
            by=None,
        )

    assert incident.pk is not None
