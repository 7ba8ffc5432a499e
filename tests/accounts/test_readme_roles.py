"""The README's "Who does what" tables, row by row, against the running site.

The rows are read from README.md itself, so a role added there, or an entry
added to a role's navigation, is tested without anyone writing the test;
the approval table is compared with accounts.roles.APPROVAL_NEEDED.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.roles import APPROVAL_NEEDED, Publication, Role, needs_approval
from tests.conftest import ROLE_GROUPS

README = Path(__file__).resolve().parents[2] / "README.md"
PERSONA_OF_GROUP = {group: persona for persona, group in ROLE_GROUPS.items()}
with translation.override("en"):
    PERSONA_OF_LABEL = {str(role.label): PERSONA_OF_GROUP[role.value] for role in Role}


def readme_table(header: str) -> dict[str, list[str]]:
    """{persona: cells after the role} of the section's table under `header`."""
    text = README.read_text()
    section = text.split("## Who does what", 1)[1].split("\n## ", 1)[0]
    table = section.split(header + "\n", 1)[1].split("\n\n", 1)[0]
    rows = {}
    for line in table.splitlines():
        match = re.match(r"^\| \*\*(.+?)\*\* \| (.+) \|$", line)
        if match:
            label, cells = match.groups()
            rows[PERSONA_OF_LABEL[label]] = cells.split(" | ")
    return rows


def readme_roles() -> dict[str, list[str] | None]:
    """{persona: navigation labels} from the table; None for "all of the above"."""
    rows = {}
    for persona, cells in readme_table("| role | navigation | what they do there |").items():
        navigation = cells[0]
        rows[persona] = None if navigation == "all of the above" else navigation.split(", ")
    return rows


ROWS = readme_roles()
APPROVAL_HEADER = "| role | incident | public update | standard text version |"
APPROVAL_ROWS = readme_table(APPROVAL_HEADER)
COLUMNS = [Publication.INCIDENT, Publication.UPDATE, Publication.STANDARD_TEXT]


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


def test_the_readme_approval_table_is_the_role_table():
    persona_of_role = {role: PERSONA_OF_GROUP[role] for role in APPROVAL_NEEDED}
    written = {
        persona_of_role[role]: ["approval" if column in needed else "direct" for column in COLUMNS]
        for role, needed in APPROVAL_NEEDED.items()
    }

    assert written == APPROVAL_ROWS


@pytest.mark.parametrize(("persona", "cells"), APPROVAL_ROWS.items())
def test_each_publishing_role_needs_approval_as_the_readme_says(personas, persona, cells):
    user = personas[persona]

    for column, cell in zip(COLUMNS, cells, strict=True):
        assert needs_approval(user, column) == (cell == "approval"), (persona, column)
