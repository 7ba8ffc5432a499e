import datetime

import pytest
from django.utils import timezone

from actions.models import Action, ActionEvent, Theme
from analytics.models import PatternAlert
from enquiries.models import Topic
from stakeholders.models import Organisation
from tests.permissions import LOGIN, answer

WEEKS = [
    {"start": f"2010-{m:02d}-{d:02d}", "label": label, "count": c, "total": 25, "share": 20.0}
    for (m, d, label, c) in [
        (10, 4, "2010-W40", 5),
        (10, 11, "2010-W41", 4),
        (10, 18, "2010-W42", 6),
        (10, 25, "2010-W43", 5),
        (11, 1, "2010-W44", 5),
        (11, 8, "2010-W45", 5),
        (11, 15, "2010-W46", 30),
    ]
]


def make_alert(queue, code="midlertidig-adgangskode", **fields) -> PatternAlert:
    topic = Topic.objects.get(queue=queue, code=code)
    defaults = {
        "level": "topic",
        "key": f"topic:{topic.pk}",
        "kind": PatternAlert.Kind.VOLUME,
        "week_start": datetime.date(2010, 11, 15),
        "observed": 30,
        "baseline": 5.0,
        "score": 11.2,
        "p_value": 1e-12,
        "share": 60.0,
        "baseline_share": 20.0,
        "evidence": {"weeks": [{**w, "is_current": w["label"] == "2010-W46"} for w in WEEKS]},
        "raised_at": timezone.now(),
        "last_detected_on": datetime.date(2010, 11, 17),
    }
    return PatternAlert.objects.create(queue=queue, topic=topic, **{**defaults, **fields})


@pytest.fixture
def alert(support):
    return make_alert(support)


@pytest.fixture
def action_choices(db):
    theme = Theme.objects.create(code="support", name_da="Support")
    owner = Organisation.objects.create(code="danid", name="DanID", kind="operator")
    return {"act-theme": theme.pk, "act-owner": owner.pk}


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("agent", 403),
        ("team_lead", 403),
        ("secretariat", 200),
        ("manager", 200),
        ("admin", 200),
        ("anonymous", LOGIN),
    ],
)
@pytest.mark.parametrize("route", ["list", "detail"])
def test_reading_alerts_permissions(client_as, alert, persona, expected, route):
    url = "/analytics/alerts/" if route == "list" else f"/analytics/alerts/{alert.pk}/"

    assert answer(client_as(persona).get(url)) == expected


@pytest.mark.parametrize(
    ("persona", "expected", "status"),
    [
        ("agent", 403, "open"),
        ("team_lead", 403, "open"),
        ("secretariat", 302, "dismissed"),
        ("manager", 403, "open"),
        ("admin", 302, "dismissed"),
        ("anonymous", LOGIN, "open"),
    ],
)
def test_dismissing_an_alert_permissions(client_as, alert, persona, expected, status):
    response = client_as(persona).post(
        f"/analytics/alerts/{alert.pk}/dismiss/", {"dismiss-reason": "Kendt fejl"}
    )

    assert answer(response) == expected
    alert.refresh_from_db()
    assert alert.status == status


@pytest.mark.parametrize(
    ("persona", "expected", "status"),
    [
        ("agent", 403, "open"),
        ("team_lead", 403, "open"),
        ("secretariat", 302, "acted"),
        ("manager", 403, "open"),
        ("admin", 302, "acted"),
        ("anonymous", LOGIN, "open"),
    ],
)
def test_acting_on_an_alert_permissions(
    client_as, alert, action_choices, persona, expected, status
):
    response = client_as(persona).post(
        f"/analytics/alerts/{alert.pk}/act/", {"act-title": "Undersøg koderne", **action_choices}
    )

    assert answer(response) == expected
    alert.refresh_from_db()
    assert alert.status == status


def test_the_list_shows_open_alerts_with_chart_data_and_table(client_as, alert, support):
    make_alert(support, code="aktivering", status=PatternAlert.Status.DISMISSED)

    response = client_as("manager").get("/analytics/alerts/")

    assert list(response.context["alerts"]) == [alert]
    html = response.content.decode()
    assert f'data-chart="alert-{alert.pk}-data"' in html
    assert f'<script id="alert-{alert.pk}-data" type="application/json">' in html
    assert "chart-4.6.1.umd.min.js" in html
    assert '<th scope="row">2010-W46' in html
    # Managers read; they get no decision forms.
    assert "Dismiss or act on" not in html


def test_the_list_filters_by_status(client_as, alert, support):
    dismissed = make_alert(support, code="aktivering", status=PatternAlert.Status.DISMISSED)

    response = client_as("secretariat").get("/analytics/alerts/", {"status": "dismissed"})

    assert list(response.context["alerts"]) == [dismissed]


@pytest.mark.parametrize("count", [1, 25])
def test_the_alert_list_takes_a_constant_number_of_queries(
    client_as, support, count, django_assert_num_queries
):
    topics = list(Topic.objects.filter(queue=support))
    for i in range(count):
        make_alert(support, code=topics[i % len(topics)].code, key=f"k{i}")
    client = client_as("secretariat")
    client.get("/analytics/alerts/")  # keeps the permissions (accounts.access)

    # session, user, alerts, count for paging.
    with django_assert_num_queries(4):
        response = client.get("/analytics/alerts/")

    assert len(response.context["alerts"]) == count


def test_dismissing_needs_a_reason_and_keeps_the_alert_open(client_as, alert):
    response = client_as("secretariat").post(
        f"/analytics/alerts/{alert.pk}/dismiss/", {"dismiss-reason": "   "}
    )

    assert response.status_code == 400
    assert response.context["dismiss_form"].errors["reason"]
    alert.refresh_from_db()
    assert alert.status == PatternAlert.Status.OPEN


def test_dismissing_records_who_and_why(client_as, alert, personas):
    client_as("secretariat").post(
        f"/analytics/alerts/{alert.pk}/dismiss/", {"dismiss-reason": "Kendt fejl hos DanID"}
    )

    alert.refresh_from_db()
    assert alert.dismiss_reason == "Kendt fejl hos DanID"
    assert alert.decided_by == personas["secretariat"]
    assert alert.decided_at is not None


def test_acting_creates_an_action_with_the_topic_as_origin(
    client_as, alert, action_choices, personas
):
    response = client_as("secretariat").post(
        f"/analytics/alerts/{alert.pk}/act/",
        {"act-title": "Undersøg de midlertidige koder", **action_choices},
    )

    assert response.status_code == 302
    action = Action.objects.get()
    assert action.title == "Undersøg de midlertidige koder"
    assert list(action.origin_topics.all()) == [alert.topic]
    assert action.created_by == personas["secretariat"]
    assert list(action.events.values_list("kind", flat=True)) == [ActionEvent.Kind.CREATED]
    alert.refresh_from_db()
    assert alert.status == PatternAlert.Status.ACTED
    assert alert.action == action


def test_acting_twice_is_refused(client_as, alert, action_choices):
    client = client_as("secretariat")
    client.post(f"/analytics/alerts/{alert.pk}/act/", {"act-title": "Første", **action_choices})

    response = client.post(
        f"/analytics/alerts/{alert.pk}/act/", {"act-title": "Anden", **action_choices}
    )

    assert response.status_code == 400
    assert Action.objects.count() == 1


def test_acting_with_a_missing_theme_rerenders_the_form(client_as, alert, action_choices):
    response = client_as("secretariat").post(
        f"/analytics/alerts/{alert.pk}/act/",
        {"act-title": "Undersøg", "act-owner": action_choices["act-owner"], "act-theme": "999"},
    )

    assert response.status_code == 400
    assert response.context["act_form"].errors["theme"]
    assert response.context["act_form"]["title"].value() == "Undersøg"
    assert not Action.objects.exists()


def test_an_unknown_alert_is_a_404(client_as, db, personas):
    assert client_as("secretariat").get("/analytics/alerts/999/").status_code == 404
    response = client_as("secretariat").post(
        "/analytics/alerts/999/dismiss/", {"dismiss-reason": "x"}
    )
    assert response.status_code == 404


def test_the_action_form_opened_from_an_alert_prefills_its_topic(client_as, alert):
    response = client_as("secretariat").get(f"/actions/new/?alert={alert.pk}")

    form = response.context["form"]
    assert form.initial["alert"] == alert.pk
    assert form.initial["origin_topics"] == [alert.topic]
    assert f'name="alert" value="{alert.pk}"' in response.content.decode()


def test_an_action_saved_from_the_form_records_the_alert_as_acted_on(
    client_as, alert, action_choices, personas
):
    response = client_as("secretariat").post(
        "/actions/new/",
        {
            "title": "Flere linjer til koderne",
            "theme": action_choices["act-theme"],
            "owner": action_choices["act-owner"],
            "status": "proposed",
            "alert": alert.pk,
        },
    )

    assert response.status_code == 302
    action = Action.objects.get()
    alert.refresh_from_db()
    assert (alert.status, alert.action, alert.decided_by) == (
        PatternAlert.Status.ACTED,
        action,
        personas["secretariat"],
    )
    # The form sent no topic: the alert's is added, and the timeline says so.
    assert list(action.origin_topics.all()) == [alert.topic]
    assert list(action.events.values_list("kind", flat=True)) == ["created", "origin"]


def test_an_action_for_an_alert_already_decided_is_not_created(client_as, alert, action_choices):
    alert.status = PatternAlert.Status.DISMISSED
    alert.save()

    response = client_as("secretariat").post(
        "/actions/new/",
        {
            "title": "For sent",
            "theme": action_choices["act-theme"],
            "owner": action_choices["act-owner"],
            "status": "proposed",
            "alert": alert.pk,
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["alert"]
    assert not Action.objects.exists()


def test_the_p_value_reads_as_a_phrase_not_in_scientific_notation(client_as, alert, settings):
    settings.LANGUAGE_CODE = "da"

    html = client_as("manager").get(f"/analytics/alerts/{alert.pk}/").content.decode()

    assert "p &lt; 0,001: meget usandsynligt at det er tilfældigt" in html
    assert "e-12" not in html


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        (4.5e-12, "p < 0.001: very unlikely to be chance"),
        (0.0004, "p < 0.001: very unlikely to be chance"),
        (0.012, "p = 0.012: unlikely to be chance"),
        (0.2, "p = 0.200: could well be chance"),
        (None, ""),
    ],
)
def test_p_value_phrase(value, phrase):
    from analytics.templatetags.alert_tags import p_value_phrase

    assert p_value_phrase(value) == phrase


def test_alert_list_takes_a_queue_as_the_dashboard_links_it(client_as, support, ministry):
    in_support = make_alert(support)
    make_alert(ministry, code="sikkerhed")

    response = client_as("manager").get("/analytics/alerts/", {"queue": "support"})

    assert [alert.pk for alert in response.context["alerts"]] == [in_support.pk]
    assert response.context["page_obj"].paginator.count == 1
