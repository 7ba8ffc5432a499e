import pytest

from enquiries.models import Category
from problems.models import KnownProblem


@pytest.fixture
def support(taxonomy):
    return taxonomy["support"]


@pytest.fixture
def category(support):
    return Category.objects.get(topic__queue=support, code="ikke-modtaget")


@pytest.fixture
def problem(category, personas):
    return KnownProblem.objects.create(
        title="Aktivering kun til netbank",
        description="Borgeren kan kun aktivere NemID til netbank.",
        category=category,
        topic=category.topic,
        workaround="Aktivér manuelt i administrationen.",
        created_by=personas["secretariat"],
    )
