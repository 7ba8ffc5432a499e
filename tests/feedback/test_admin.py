import pytest
from django.urls import reverse

from feedback import services
from feedback.models import SurveyResult


@pytest.mark.parametrize("model", ["surveyresult", "enquiryrating"])
def test_admin_lists_and_opens_both_satisfaction_models(client_as, resolved, personas, model):
    objects = {
        "surveyresult": SurveyResult.objects.create(
            source="A&B", published_on="2010-11-30", respondents=1426, share_satisfied="77.0"
        ),
        "enquiryrating": services.record_rating(
            resolved, score=5, source="agent", by=personas["agent"]
        ),
    }
    client = client_as("admin")

    listing = client.get(reverse(f"admin:feedback_{model}_changelist"))
    change = client.get(reverse(f"admin:feedback_{model}_change", args=[objects[model].pk]))

    assert listing.status_code == change.status_code == 200


def test_ratings_cannot_be_typed_in_through_the_admin(client_as):
    response = client_as("admin").get(reverse("admin:feedback_enquiryrating_add"))

    assert response.status_code == 403
