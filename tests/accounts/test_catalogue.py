"""The UI speaks Danish by default and English on request.

The catalogue itself (complete, no fuzzy entry, placeholders kept) is checked
in test_translations.py and by scripts/check_messages.py in `make lint`.
"""

from django.urls import reverse

from enquiries.models import Citizen, Enquiry


def test_pages_are_danish_by_default_and_english_on_request(client_as, settings):
    # Until issue 9 the browser's Accept-Language chose; now only the user does.
    settings.LANGUAGE_CODE = "da"
    client = client_as("agent")

    danish = client.get(reverse("enquiries:list")).content.decode()
    english_browser = client.get(reverse("enquiries:list"), headers={"accept-language": "en"})
    english = client_as("agent", language="en").get(reverse("enquiries:list"))

    assert '<html lang="da"' in danish
    assert "<h1>Henvendelser</h1>" in danish
    assert "Gemte filtre" in danish
    assert "<h1>Henvendelser</h1>" in english_browser.content.decode()
    assert "<h1>Enquiries</h1>" in english.content.decode()


def test_the_language_switch_turns_the_pages_english_and_back(client_as, settings):
    settings.LANGUAGE_CODE = "da"
    client = client_as("agent")
    page = reverse("enquiries:list")

    client.post(reverse("set_language"), {"language": "en", "next": page})
    english = client.get(page).content.decode()
    client.post(reverse("set_language"), {"language": "da", "next": page})
    danish = client.get(page).content.decode()

    assert '<html lang="en"' in english
    assert "<h1>Enquiries</h1>" in english
    assert "<h1>Henvendelser</h1>" in danish


def test_bad_input_is_answered_in_danish_naming_the_field(client_as, taxonomy, settings):
    settings.LANGUAGE_CODE = "da"
    data = {
        "queue": taxonomy["support"].pk,
        "subject": "",
        "priority": "2",
        "channel": "phone",
        "received_at": "2010-11-09T10:30",
        "language": "da",
        "citizen_choice": "new",
        "citizen-name": "Birgitte Larsen",
        "citizen-cpr": "320252-1234",
    }

    response = client_as("agent").post(reverse("enquiries:create"), data)

    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors["subject"] == ["Dette felt er påkrævet."]
    page = response.content.decode()
    assert "CPR-nummeret begynder ikke med en gyldig fødselsdato." in page
    assert 'value="Birgitte Larsen"' in page
    assert not Enquiry.objects.exists()
    assert not Citizen.objects.exists()
