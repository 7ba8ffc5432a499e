"""The README's "Who does what" table, row by row, against the running site.

The rows are read from README.md itself, so a role added there, or an entry
added to a role's navigation, is tested without anyone writing the test.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.roles import Role
from tests.conftest import ROLE_GROUPS

README = Path(__file__).resolve().parents[2] / "README.md"
PERSONA_OF_GROUP = {group: persona for persona, group in ROLE_GROUPS.items()}
with translation.override("en"):
    PERSONA_OF_LABEL = {str(role.label): PERSONA_OF_GROUP[role.value] for role in Role}


def readme_roles() -> dict[str, list[str] | None]:
    """{persona: navigation labels} from the table; None for "all of the above"."""
    text = README.read_text()
    section = text.split("## Who does what", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        match = re.match(r"^\| \*\*(.+?)\*\* \| (.+?) \|", line)
        if match:
            label, navigation = match.groups()
            entries = None if navigation == "all of the above" else navigation.split(", ")
            rows[PERSONA_OF_LABEL[label]] = entries
    return rows


ROWS = readme_roles()


def test_the_readme_has_a_row_for_every_role():
    assert set(ROWS) == set(ROLE_GROUPS)


@pytest.mark.parametrize(("persona", "entries"), ROWS.items())
def test_each_role_sees_the_navigation_the_readme_gives_it(client_as, persona, entries):
    response = client_as(persona).get(reverse("home"), follow=True)
    shown = [str(item["label"]) for item in response.context["nav_items"]]

    if entries is None:
        everything = {entry for row in ROWS.values() if row for entry in row}
        assert set(shown) == everything
    else:
        assert shown == entries
