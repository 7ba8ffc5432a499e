"""A lived-in desk for walking every page: the report's world, demo users,
a floor of 270 agents (two of them namesakes), enquiries with timelines,
an escalation, a pattern alert and a rating."""

import datetime

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Team, User
from accounts.roles import Role
from actions.models import Action, Kpi
from analytics.models import PatternAlert
from answers import services as answers
from enquiries import services
from enquiries.escalation import escalate_enquiry
from enquiries.models import Category, Citizen, Enquiry, Queue, Topic
from feedback.models import SurveyResult
from feedback.services import make_rating_token, record_rating
from knowledge import services as knowledge
from mailroom.models import InboundMessage, Mailbox
from notices import services as notices
from problems.models import KnownProblem, KnownProblemLink
from seed.demo.enquiries import create_demo_enquiries
from seed.demo.users import create_demo_users
from stakeholders.models import (
    Contact,
    FollowUp,
    Meeting,
    Organisation,
    Recommendation,
    WorkingGroup,
)

FLOOR = 270


def add_agents(team: Team, count: int) -> list[User]:
    """`count` support agents in `team`, with two namesakes among them."""
    names = [("Ali", "Thomsen"), ("Ali", "Thomsen")] + [
        (f"Agent{n}", f"Efternavn{n % 40}") for n in range(count - 2)
    ]
    users = User.objects.bulk_create(
        User(
            username=f"floor{n:03d}",
            first_name=first,
            last_name=last,
            team=team,
            password=make_password(None),
        )
        for n, (first, last) in enumerate(names)
    )
    group = Group.objects.get(name=Role.AGENT.value)
    users = list(User.objects.filter(username__startswith="floor"))
    User.groups.through.objects.bulk_create(
        User.groups.through(user_id=user.pk, group_id=group.pk) for user in users
    )
    return users


@pytest.fixture
def desk(db, settings):
    """Everything a page can show, in Danish, as the demo users see it."""
    settings.LANGUAGE_CODE = "da"
    call_command("load_reference_data", verbosity=0)
    call_command("load_report_data", verbosity=0)
    create_demo_users()
    support = Queue.objects.get(code="support")
    floor = add_agents(support.team, FLOOR - 2)
    create_demo_enquiries(count=12)
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_LOGINS.values())}
    agent = users["agent"]
    now = timezone.now()
    late = services.register_enquiry(
        support,
        by=agent,
        subject="Brevet med koden kom aldrig",
        channel="letter",
        received_at=now - datetime.timedelta(days=10),
        category=Category.objects.filter(topic__queue=support).first(),
        assignee=floor[0],
    )
    services.update_enquiry(late, by=users["teamlead"], changes={"priority": 4})
    services.add_note(late, by=agent, text="Borgeren ringede igen 9. november.")
    escalate_enquiry(late, now=now)
    resolved = Enquiry.objects.filter(status=Enquiry.Status.RESOLVED).first()
    if resolved is not None:
        record_rating(resolved, score=4, source="agent", by=agent)
    topic = Topic.objects.filter(queue=support).first()
    alert = PatternAlert.objects.create(
        queue=support,
        topic=topic,
        level="topic",
        key=f"topic:{topic.pk}",
        kind=PatternAlert.Kind.VOLUME,
        week_start=datetime.date(2010, 11, 15),
        observed=30,
        baseline=5.0,
        score=11.2,
        p_value=4.5e-12,
        share=60.0,
        baseline_share=20.0,
        evidence={
            "weeks": [
                {"start": "2010-11-08", "label": "2010-W45", "count": 5, "total": 25,
                 "share": 20.0, "is_current": False},
                {"start": "2010-11-15", "label": "2010-W46", "count": 30, "total": 50,
                 "share": 60.0, "is_current": True},
            ]
        },
        raised_at=now,
        last_detected_on=datetime.date(2010, 11, 17),
    )  # fmt: skip
    problem = KnownProblem.objects.create(
        title="Aktivering kun til netbank",
        description="Borgeren kan kun aktivere NemID til netbank.",
        category=late.category,
        topic=late.category.topic,
        workaround="Aktivér manuelt.",
    )
    KnownProblemLink.objects.create(problem=problem, enquiry=late, linked_by=agent)
    kpi = Kpi.objects.filter(readings__isnull=False).first() or Kpi.objects.first()
    notices.add_standard_text_version(
        "login-down",
        text_da="Log-in med NemID virker ikke lige nu.",
        text_en="Log-in with NemID does not work right now.",
        valid_from=now - datetime.timedelta(days=1),
    )
    incident = notices.publish_incident(
        title_da="Log-in er nede",
        title_en="Log-in is down",
        services=["login", "netbank_login"],
        severity="outage",
        started_at=now - datetime.timedelta(minutes=30),
        expected_end_at=now + datetime.timedelta(hours=1),
        text_code="login-down",
        by=users["secretariat"],
    )
    welcome = answers.create_template(
        "welcome-letter",
        by=users["secretariat"],
        valid_from=now - datetime.timedelta(days=3),
        subject_da="Velkommen til NemID ({reference})",
        body_da="Kære {citizen_name}\n\nHjælp til at komme i gang: nemid.nu.",
        subject_en="Welcome to NemID ({reference})",
        body_en="Dear {citizen_name}\n\nHelp to get started: nemid.nu.",
    )
    # A second incident the secretariat submitted: a draft awaiting approval.
    draft = notices.submit_incident(
        title_da="Signering er langsom",
        title_en="Signing is slow",
        services=["signing"],
        severity="minor",
        started_at=now - datetime.timedelta(minutes=10),
        text_code="login-down",
        by=users["secretariat"],
    ).draft
    article = knowledge.create_article(
        "midlertidig-adgangskode",
        by=users["secretariat"],
        is_public=True,
        valid_from=now - datetime.timedelta(days=3),
        title_da="Midlertidig adgangskode",
        body_da="Nøglekortet og adgangskoden kommer i to breve.",
        answer_da="Du får nøglekortet og adgangskoden i to breve. Se nemid.nu.",
        title_en="Temporary password",
        body_en="The code card and the password come in two letters.",
    )
    # A mail set aside: its decision page is walked (no raw bytes needed).
    mailbox = Mailbox.objects.create(
        address="support@sager.nemid.example", queue=Queue.objects.get(code="support")
    )
    set_aside = InboundMessage.objects.create(
        mailbox=mailbox,
        digest="0" * 64,
        via=InboundMessage.Via.PUSH,
        status=InboundMessage.Status.QUARANTINED,
        reason="Beskeden har ingen læsbar afsenderadresse (From).",
        subject="Nøglekort",
    )
    return {
        "answer_template": welcome.template,
        "set_aside": set_aside,
        "article": article.article,
        "problem": problem,
        "users": users,
        "late": late,
        "resolved": resolved,
        "citizen": Citizen.objects.first(),
        "alert": alert,
        "action": kpi.action if kpi else Action.objects.first(),
        "kpi": kpi,
        "organisation": Organisation.objects.first(),
        "contact": Contact.objects.first(),
        "working_group": WorkingGroup.objects.first(),
        "meeting": Meeting.objects.first(),
        "recommendation": Recommendation.objects.first(),
        "follow_up": FollowUp.objects.first(),
        "survey": SurveyResult.objects.first(),
        "rating_token": make_rating_token(late),
        "incident": incident,
        "draft": draft,
    }


# The demo user who plays each role.
DEMO_LOGINS = {
    "agent": "agent",
    "team_lead": "teamlead",
    "secretariat": "secretariat",
    "manager": "manager",
    "admin": "admin",
}
