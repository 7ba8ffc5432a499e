"""The browsable API (HTML) and OPTIONS answer without errors for a person."""

import pytest

PAGES = [
    "/api/v1/",
    "/api/v1/enquiries/",
    "/api/v1/enquiries/{enquiry}/",
    "/api/v1/enquiries/{enquiry}/events/",
    "/api/v1/queues/",
    "/api/v1/topics/",
    "/api/v1/categories/",
    "/api/v1/citizens/",
    "/api/v1/citizens/{citizen}/",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("persona", ["agent", "manager"])
def test_browsable_api_and_options_render(client_as, enquiry, path, persona):
    client = client_as(persona)
    url = path.format(enquiry=enquiry.pk, citizen=enquiry.citizen_id)
    allowed = persona == "agent" or "citizens" not in url

    page = client.get(url, headers={"accept": "text/html"})
    options = client.options(url)

    assert page.status_code == (200 if allowed else 403)
    assert page["Content-Type"].startswith("text/html")
    assert options.status_code == (200 if allowed else 403)
