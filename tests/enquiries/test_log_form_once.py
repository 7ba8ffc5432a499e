"""The log-enquiry form is saved once, however often the same form is sent.

A double click, a browser's resend, or "Save again" on the 503 page after a
COMMIT whose answer was lost all send the same hidden key; the second send
finds the first enquiry instead of logging another.
"""

import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from enquiries.models import Enquiry
from tests.enquiries.test_forms import log_data

CREATE = reverse("enquiries:create")


def form_key(client) -> str:
    page = client.get(CREATE).content.decode()
    return re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page).group(1)


def test_each_shown_form_carries_a_key_of_its_own(client_as, taxonomy):
    client = client_as("agent")

    assert form_key(client) != form_key(client)


def test_the_same_form_sent_twice_logs_one_enquiry_and_leads_to_it(client_as, taxonomy):
    client = client_as("agent")
    data = log_data(taxonomy["support"], idempotency_key=form_key(client))

    first = client.post(CREATE, data)
    second = client.post(CREATE, data, follow=True)

    enquiry = Enquiry.objects.get()
    detail = reverse("enquiries:detail", kwargs={"reference": enquiry.reference})
    assert first.status_code == 302 and first["Location"] == detail
    assert second.redirect_chain == [(detail, 302)]
    assert "the enquiry was not logged twice" in second.content.decode()


def test_two_forms_log_two_enquiries(client_as, taxonomy):
    client = client_as("agent")

    for _ in range(2):
        data = log_data(taxonomy["support"], idempotency_key=form_key(client))
        assert client.post(CREATE, data).status_code == 302

    assert Enquiry.objects.count() == 2


def test_a_form_refused_for_bad_input_keeps_its_key_and_saves_once_corrected(client_as, taxonomy):
    client = client_as("agent")
    key = form_key(client)

    refused = client.post(CREATE, log_data(taxonomy["support"], subject="", idempotency_key=key))
    saved = client.post(CREATE, log_data(taxonomy["support"], idempotency_key=key))

    assert f'value="{key}"' in refused.content.decode()
    assert saved.status_code == 302 and Enquiry.objects.count() == 1


def test_the_key_belongs_to_its_user(client_as, taxonomy, personas):
    key = form_key(client_as("agent"))
    data = log_data(taxonomy["support"], idempotency_key=key)

    client_as("agent").post(CREATE, data)
    client_as("team_lead").post(CREATE, data)

    assert Enquiry.objects.count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_double_click_logs_one_enquiry(personas, taxonomy):
    agent = personas["agent"]
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(agent)
    data = log_data(taxonomy["support"], idempotency_key=form_key(clients[0]))
    start = threading.Barrier(2)
    answers = []

    def click(client):
        start.wait()
        answers.append(client.post(CREATE, data))
        connection.close()

    threads = [threading.Thread(target=click, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    enquiry = Enquiry.objects.get()
    detail = reverse("enquiries:detail", kwargs={"reference": enquiry.reference})
    assert [answer.status_code for answer in answers] == [302, 302]
    assert {answer["Location"] for answer in answers} == {detail}
