"""Checks that hold on every page of every role, on a lived-in desk.

One walk per role (building the desk takes a while) checks that dates read
the Danish way, never ISO; that no select shows Django's "---------"; and
that no select lists the whole floor of agents or every category.
"""

import re

import pytest

from tests.ui.desk import DEMO_LOGINS
from tests.ui.walk import options_per_select, pages, visible_text

# Runs once in CI, in the SQLite pass: the database does not change what it tests.
pytestmark = pytest.mark.once_sqlite

ISO_DATE = re.compile(r"(?<![\d-])\d{4}-\d{2}-\d{2}(?![\d-])")
# Longer than the taxonomy (about 70 categories, chosen several at a time
# on an action): a list of people, which is a type-ahead everywhere.
MOST_OPTIONS = 100


def problems(content: str) -> list[str]:
    """What is wrong with one page, as short descriptions."""
    found = [f"ISO date {date}" for date in ISO_DATE.findall(visible_text(content))[:3]]
    if ">---------<" in content:
        found.append("an empty choice shown as ---------")
    longest = max(options_per_select(content), default=0)
    if longest > MOST_OPTIONS:
        found.append(f"a select of {longest} options")
    return found


@pytest.mark.parametrize("role", list(DEMO_LOGINS))
def test_every_page_reads_danish_dates_and_lists_no_floor(desk, client, role):
    client.force_login(desk["users"][DEMO_LOGINS[role]])

    walked = dict(pages(client, desk))
    found = {name: problems(content) for name, content in walked.items()}

    assert {name: found for name, found in found.items() if found} == {}
    assert "enquiries:list" in walked


def test_the_checks_see_what_they_must_refuse():
    page = (
        '<p>Modtaget 2010-11-09</p><select name="a"><option value="">---------</option>'
        + "<option>x</option>" * 270
        + '</select><input type="date" value="2010-11-09"><time datetime="2010-11-09">'
    )

    assert problems(page) == [
        "ISO date 2010-11-09",
        "an empty choice shown as ---------",
        "a select of 271 options",
    ]


def test_the_walk_reaches_the_pages_it_must_check(desk, client):
    # Guards the walk itself: were it to visit nothing, nothing would fail.
    client.force_login(desk["users"]["admin"])

    names = {name for name, _content in pages(client, desk)}

    assert {"enquiries:list", "enquiries:detail", "enquiries:create", "enquiries:breaches"} <= names
    assert {"analytics:workload", "actions:detail", "stakeholders:meeting-detail"} <= names
    assert {"feedback:satisfaction", "dashboards:overview", "reports:user-analysis"} <= names
    assert {"feedback:rate", "analytics:alert-detail", "actions:due-preview"} <= names
