"""A CPR number typed into the pages is never stored in plain text, never
logged and never put in an address the app redirects to."""

import logging

from django.urls import reverse

from enquiries.models import Category, Citizen, Enquiry
from tests.factories import CitizenFactory
from tests.plaintext import table_hits

TYPED = "290252-4321"  # Typed for a new citizen, formatted.
KNOWN = "0703421234"  # An existing citizen, looked up and revealed.
FORMS = [TYPED, TYPED.replace("-", ""), TYPED.replace("-", " "), KNOWN, "070342-1234"]


def test_cpr_numbers_typed_into_the_pages_stay_out_of_tables_logs_and_addresses(
    client_as, taxonomy, personas, caplog
):
    caplog.set_level(logging.DEBUG)
    support = taxonomy["support"]
    category = Category.objects.get(topic__queue=support, code="ikke-modtaget")
    # Known to the support team through an enquiry each.
    known = CitizenFactory(name="Inger Christensen", cpr=KNOWN, known_to=[support])
    agent, team_lead = client_as("agent"), client_as("team_lead")
    responses = []

    # The look-ups, by CPR number: the log form's, with and without JS,
    # and the citizen search.
    responses.append(
        agent.post(reverse("enquiries:citizen-lookup"), {"citizen_query": "070342-1234"})
    )
    responses.append(
        agent.post(
            reverse("enquiries:create"),
            {"action": "lookup", "citizen_query": KNOWN, "subject": "Opkald"},
        )
    )
    responses.append(agent.post(reverse("enquiries:citizen-list"), {"q": KNOWN}))
    # The enquiry list, with a number typed past the page's guard.
    responses.append(agent.get(reverse("enquiries:list"), {"q": TYPED, "status": "new"}))
    responses.append(
        agent.post(reverse("enquiries:savedfilter-create") + f"?q={TYPED}", {"name": "Mine"})
    )
    # A new citizen registered from the log form, after one refused attempt
    # (the number typed into the description as well).
    base = {
        "queue": support.pk,
        "subject": "Har ikke fået koden",
        "category": category.pk,
        "priority": "2",
        "channel": "phone",
        "received_at": "2010-11-09T10:30",
        "language": "da",
        "citizen_choice": "new",
        "citizen-name": "Birgitte Larsen",
        "citizen-cpr": TYPED,
    }
    responses.append(
        agent.post(reverse("enquiries:create"), {**base, "description": f"CPR {TYPED}"})
    )
    responses.append(agent.post(reverse("enquiries:create"), base))
    # A citizen's number changed on the edit page, then revealed with a reason.
    other = CitizenFactory(name="Jens Thomsen", known_to=[support])
    responses.append(
        agent.post(
            reverse("enquiries:citizen-edit", kwargs={"pk": other.pk}),
            {"name": "Jens Thomsen", "cpr": "010180 1111", "version": other.version},
        )
    )
    responses.append(
        team_lead.post(
            reverse("enquiries:citizen-reveal-cpr", kwargs={"pk": known.pk}),
            {"reason": "Borgeren bad om at få nummeret læst op."},
        )
    )

    enquiry = Enquiry.objects.get(subject="Har ikke fået koden")
    assert enquiry.citizen.cpr_masked == "290252-xxxx"
    assert Citizen.objects.with_cpr(TYPED).get() == enquiry.citizen
    assert "070342-1234" in responses[-1].content.decode()  # The logged reveal.
    assert table_hits(FORMS) == []
    logged = [record.getMessage() for record in caplog.records]
    assert not [line for line in logged for number in FORMS if number in line]
    locations = [r["Location"] for r in responses if r.has_header("Location")]
    assert len(locations) >= 4
    assert not [url for url in locations for number in FORMS if number in url]
    assert not [url for url in locations if "1234" in url or "4321" in url or "1111" in url]
