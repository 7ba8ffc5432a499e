"""A CPR number sent to the API is never stored in plain text, never logged,
never put in an address and never sent back, except by the logged reveal."""

import logging

from enquiries.models import Citizen, CprReveal
from tests.etags import patch_json
from tests.factories import EnquiryFactory
from tests.plaintext import table_hits

REGISTERED = "290252-4321"  # Sent formatted when registering.
CHANGED = "0101801111"  # Sent as ten digits in a change.
INVALID = "3202521234"  # The 32nd: refused, and not to be echoed either.
NUMBERS = [REGISTERED, REGISTERED.replace("-", ""), CHANGED, "010180-1111", INVALID]


def post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_cpr_numbers_sent_to_the_api_stay_out_of_tables_logs_and_answers(
    client_as, support, caplog
):
    caplog.set_level(logging.DEBUG)
    agent, team_lead = client_as("agent"), client_as("team_lead")
    answers = []

    registered = post(agent, "/api/v1/citizens/", {"name": "Birgitte Larsen", "cpr": REGISTERED})
    answers.append(registered)
    citizen_url = registered["Location"]
    answers.append(
        post(agent, "/api/v1/citizens/", {"name": "Dublet", "cpr": REGISTERED.replace("-", "")})
    )
    answers.append(post(agent, "/api/v1/citizens/", {"name": "Forkert", "cpr": INVALID}))
    answers.append(post(agent, "/api/v1/citizens/lookup/", {"cpr": REGISTERED}))
    answers.append(post(agent, "/api/v1/citizens/lookup/", {"cpr": INVALID}))
    answers.append(
        post(
            agent,
            "/api/v1/enquiries/",
            {"queue": "support", "subject": "Opkald", "description": f"CPR {REGISTERED}"},
        )
    )
    answers.append(patch_json(agent, citizen_url, {"cpr": CHANGED}))
    citizen = Citizen.objects.get(name="Birgitte Larsen")
    # The team (and its lead) knows the citizen once an enquiry names them.
    EnquiryFactory(citizen=citizen, queue=support, category=None)
    revealed = post(team_lead, f"{citizen_url}reveal-cpr/", {"reason": "Borgeren bad om det."})

    assert [a.status_code for a in answers] == [201, 400, 400, 200, 400, 400, 200]
    assert citizen.cpr_masked == "010180-xxxx"
    assert Citizen.objects.count() == 1
    # The one place a number comes back: asked for, with a reason, logged.
    assert revealed.json() == {"cpr": "010180-1111"}
    assert CprReveal.objects.get(kind=CprReveal.Kind.REVEAL).citizen == citizen
    assert table_hits(NUMBERS) == []
    logged = [record.getMessage() for record in caplog.records]
    assert not [line for line in logged for number in NUMBERS if number in line]
    sent_back = [a.content.decode() for a in answers]
    assert not [body for body in sent_back for number in NUMBERS if number in body]
    assert not [body for body in sent_back if "4321" in body or "1111" in body]
    locations = [a["Location"] for a in answers if a.has_header("Location")]
    assert locations and not [url for url in locations if "4321" in url or "1111" in url]
