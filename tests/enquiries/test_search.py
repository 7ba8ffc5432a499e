"""The enquiry search: a reference, or words of the subject and description.

On PostgreSQL the words are stored in a generated column (Danish stemming,
GIN index), so a search never parses every row's text again; SQLite
matches substrings of the columns.
"""

import pytest
from django.db import connection

from enquiries.models import Enquiry
from tests.factories import EnquiryFactory

pytestmark = pytest.mark.django_db
POSTGRESQL = pytest.mark.skipif(connection.vendor != "postgresql", reason="full-text search")


def found(text: str) -> list[str]:
    return sorted(Enquiry.objects.search(text).values_list("subject", flat=True))


def test_a_word_of_the_subject_or_the_description_finds_the_enquiry():
    EnquiryFactory(subject="Nøglekort bortkommet", description="")
    EnquiryFactory(subject="Spærret adgang", description="Borgeren har mistet sit nøglekort.")
    EnquiryFactory(subject="Netbank virker ikke", description="Fejl ved log-in.")

    assert found("nøglekort") == ["Nøglekort bortkommet", "Spærret adgang"]
    assert found("netbank") == ["Netbank virker ikke"]
    assert found("digital signatur") == []


def test_a_reference_finds_its_enquiry_whatever_its_case():
    enquiry = EnquiryFactory(subject="Aktiveringskode")
    EnquiryFactory(subject="Noget andet")

    assert found(enquiry.reference.lower()) == ["Aktiveringskode"]


def test_changed_words_are_found_at_once_and_the_old_ones_no_more():
    enquiry = EnquiryFactory(subject="Adgangskode glemt", description="")

    enquiry.subject = "Nøglekort udløbet"
    enquiry.save(update_fields=["subject"])

    assert found("nøglekort") == ["Nøglekort udløbet"]
    assert found("adgangskode") == []


@POSTGRESQL
def test_danish_inflections_of_a_word_find_each_other():
    EnquiryFactory(subject="Problemer med nøglekortet", description="")

    assert found("nøglekort") == ["Problemer med nøglekortet"]


@POSTGRESQL
def test_the_search_reads_the_stored_words_not_the_text_of_every_row():
    sql = str(Enquiry.objects.search("nøglekort").query)

    assert '"search_document" @@' in sql
    assert "to_tsvector" not in sql
