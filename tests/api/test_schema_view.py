"""The schema is built once per process and language, and rebuilt when its sources change."""

from nemid_cases.schema_view import SchemaView

SCHEMA = "/api/schema/"


def get(client, **params):
    response = client.get(SCHEMA, {"format": "json", **params})
    assert response.status_code == 200
    return response.json()


def test_every_role_gets_the_one_built_document(client_as, settings):
    SchemaView.built.clear()

    first = get(client_as("agent"))
    built = dict(SchemaView.built)
    second = get(client_as("admin"))

    assert first == second
    assert list(built) == [("en", None)]
    # The same object served again: not built a second time.
    assert SchemaView.built[("en", None)] is built[("en", None)]
    assert {"/api/v1/enquiries/", "/api/v1/citizens/"} <= set(first["paths"])


def test_each_language_has_its_own_document(client_as):
    SchemaView.built.clear()

    english = get(client_as("agent"))
    danish = get(client_as("agent"), lang="da")

    assert set(SchemaView.built) == {("en", None), ("da", None)}
    assert english["paths"].keys() == danish["paths"].keys()
    assert english != danish


def test_a_change_to_the_settings_it_is_made_from_drops_it(client_as, settings):
    get(client_as("agent"))
    assert SchemaView.built

    settings.SPECTACULAR_SETTINGS = {**settings.SPECTACULAR_SETTINGS, "TITLE": "Other"}

    assert not SchemaView.built


def test_an_anonymous_visitor_gets_no_document_even_when_one_is_built(client_as):
    get(client_as("agent"))

    assert client_as("anonymous").get(SCHEMA).status_code in (401, 403)
