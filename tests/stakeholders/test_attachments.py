import os

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from stakeholders import services
from stakeholders.models import MeetingAttachment
from tests.factories import MeetingFactory
from tests.stakeholders import files


@pytest.fixture
def meeting(db):
    return MeetingFactory()


@pytest.mark.parametrize(("name", "content", "content_type"), files.GOOD)
def test_add_attachment_accepts_each_allowed_type_by_content(
    personas, meeting, name, content, content_type
):
    attachment = services.add_attachment(
        meeting, upload=files.upload(name, content), by=personas["secretariat"]
    )

    assert attachment.original_name == name
    assert attachment.content_type == content_type
    assert attachment.size == len(content)
    with attachment.file.open("rb") as stored:
        assert stored.read() == content


@pytest.mark.parametrize(("name", "content"), files.BAD)
def test_add_attachment_refuses_wrong_types_whatever_their_name(
    personas, meeting, name, content, settings
):
    with pytest.raises(ValidationError) as error:
        services.add_attachment(
            meeting, upload=files.upload(name, content), by=personas["secretariat"]
        )

    assert "file" in error.value.message_dict
    assert not MeetingAttachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "meeting-attachments").exists()


def test_add_attachment_refuses_a_file_over_the_size_limit(personas, meeting, settings):
    settings.STAKEHOLDER_ATTACHMENT_MAX_BYTES = 1024
    big = files.PDF + b"0" * 1024

    with pytest.raises(ValidationError) as error:
        services.add_attachment(
            meeting, upload=files.upload("stor.pdf", big), by=personas["secretariat"]
        )

    assert "1.0\xa0KB" in error.value.message_dict["file"][0]
    assert not MeetingAttachment.objects.exists()


def test_add_attachment_refuses_an_empty_file(personas, meeting):
    with pytest.raises(ValidationError) as error:
        services.add_attachment(
            meeting, upload=files.upload("tom.pdf", b""), by=personas["secretariat"]
        )

    assert "file" in error.value.message_dict


def test_stored_name_is_random_and_keeps_only_the_checked_extension(personas, meeting):
    attachment = services.add_attachment(
        meeting,
        upload=files.upload("../../etc/Referat\x00 møde.PDF", files.PDF),
        by=personas["secretariat"],
    )

    assert attachment.original_name == "Referat møde.PDF"
    assert attachment.file.name.startswith("meeting-attachments/")
    assert attachment.file.name.endswith(".pdf")
    assert "Referat" not in attachment.file.name


def test_remove_attachment_deletes_the_file_after_commit(
    personas, meeting, django_capture_on_commit_callbacks
):
    attachment = services.add_attachment(
        meeting, upload=files.upload("a.pdf", files.PDF), by=personas["secretariat"]
    )
    path = attachment.file.path

    with django_capture_on_commit_callbacks(execute=True):
        services.remove_attachment(attachment, by=personas["secretariat"])

    assert not MeetingAttachment.objects.exists()
    assert not os.path.exists(path)


def test_download_is_an_attachment_that_browsers_may_not_sniff(client_as, personas, meeting):
    attachment = services.add_attachment(
        meeting, upload=files.upload("Referat møde.pdf", files.PDF), by=personas["secretariat"]
    )

    response = client_as("manager").get(
        reverse("stakeholders:attachment-download", args=[attachment.pk])
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Referat%20m%C3%B8de.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == files.PDF


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("agent", 403),
        ("team_lead", 403),
        ("secretariat", 200),
        ("manager", 200),
        ("admin", 200),
        ("anonymous", 302),
    ],
)
def test_download_is_permission_checked(client_as, personas, meeting, persona, expected):
    attachment = services.add_attachment(
        meeting, upload=files.upload("a.pdf", files.PDF), by=personas["secretariat"]
    )

    response = client_as(persona).get(
        reverse("stakeholders:attachment-download", args=[attachment.pk])
    )

    assert response.status_code == expected


def test_download_of_a_file_missing_from_storage_is_a_404(client_as, personas, meeting):
    attachment = services.add_attachment(
        meeting, upload=files.upload("a.pdf", files.PDF), by=personas["secretariat"]
    )
    attachment.file.storage.delete(attachment.file.name)

    response = client_as("secretariat").get(
        reverse("stakeholders:attachment-download", args=[attachment.pk])
    )

    assert response.status_code == 404


def test_media_files_are_not_served_by_url(client_as, personas, meeting):
    attachment = services.add_attachment(
        meeting, upload=files.upload("a.pdf", files.PDF), by=personas["secretariat"]
    )

    for url in (f"/media/{attachment.file.name}", f"/{attachment.file.name}"):
        assert client_as("admin").get(url).status_code == 404


def test_upload_page_shows_the_error_on_the_field_and_keeps_the_meeting(client_as, meeting):
    response = client_as("secretariat").post(
        reverse("stakeholders:attachment-upload", args=[meeting.pk]),
        {"file": files.upload("side.html", files.HTML)},
    )

    assert response.status_code == 200
    assert "Files of this type are not accepted" in response.content.decode()
    assert 'href="#id_file"' in response.content.decode()
    assert not MeetingAttachment.objects.exists()


def test_upload_page_attaches_and_returns_to_the_meeting(client_as, meeting):
    response = client_as("secretariat").post(
        reverse("stakeholders:attachment-upload", args=[meeting.pk]),
        {"file": files.upload("referat.pdf", files.PDF)},
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#attachments")
    assert meeting.attachments.get().original_name == "referat.pdf"


def test_delete_page_removes_the_attachment(client_as, personas, meeting):
    attachment = services.add_attachment(
        meeting, upload=files.upload("a.pdf", files.PDF), by=personas["secretariat"]
    )

    response = client_as("secretariat").post(
        reverse("stakeholders:attachment-delete", args=[attachment.pk])
    )

    assert response.status_code == 302
    assert not MeetingAttachment.objects.exists()


def test_manager_cannot_upload_or_delete(client_as, personas, meeting):
    attachment = services.add_attachment(
        meeting, upload=files.upload("a.pdf", files.PDF), by=personas["secretariat"]
    )
    client = client_as("manager")

    upload = client.post(
        reverse("stakeholders:attachment-upload", args=[meeting.pk]),
        {"file": files.upload("b.pdf", files.PDF)},
    )
    delete = client.post(reverse("stakeholders:attachment-delete", args=[attachment.pk]))

    assert (upload.status_code, delete.status_code) == (403, 403)
    assert list(MeetingAttachment.objects.all()) == [attachment]
