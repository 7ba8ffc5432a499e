"""The pages of a busy floor at 1366x768: the enquiry list on one screen,
the navigation on one line, people and categories by type-ahead, and the
log form's small helps (channel, look-up, CPR), checked in Chromium."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Theme
from enquiries.models import Category, Enquiry
from stakeholders.models import Organisation
from tests.factories import CitizenFactory, EnquiryFactory, TeamFactory, UserFactory

SCREEN = {"width": 1366, "height": 768}

# What a list row must show whole; free text (subject, category, names) may
# end in an ellipsis, with the whole text in its tooltip.
WHOLE_COLUMNS = ["Referencenummer", "Status", "Prioritet", "Modtaget", "Frist"]

MEASURE = """(whole) => {
  const headers = Array.from(document.querySelectorAll('.enquiry-table thead th'));
  const column = name => headers.findIndex(th => th.textContent.trim().startsWith(name));
  const rows = Array.from(document.querySelectorAll('.enquiry-table tbody tr'));
  return {
    rowsInView: rows.filter(r => r.getBoundingClientRect().bottom <= innerHeight).length,
    pageScroll: document.documentElement.scrollWidth - document.documentElement.clientWidth,
    tableScroll: Math.max(...Array.from(document.querySelectorAll('.table-wrap'),
                                        w => w.scrollWidth - w.clientWidth)),
    headersOut: headers.filter(th => th.getBoundingClientRect().right > innerWidth + 0.5
                                     || th.scrollWidth > th.clientWidth + 1)
                       .map(th => th.textContent.trim()),
    clipped: whole.flatMap(name => rows.map(r => r.children[column(name)])
                  .filter(td => td && td.scrollWidth > td.clientWidth + 1)
                  .map(td => name + ': ' + td.textContent.trim())),
    panelOpen: document.getElementById('filter-panel').open,
    filtersShown: document.querySelector('#filter-panel .filters').checkVisibility(),
  };
}"""


@pytest.fixture
def busy_list(taxonomy, personas, support_team):
    """25 enquiries as wide as they come: long texts, every kind of deadline."""
    support = taxonomy["support"]
    categories = list(Category.objects.filter(topic__queue=support).order_by("-name_da"))
    long_name = UserFactory(
        username="kjr", first_name="Karl-Johan", last_name="Ravnsborg-Christiansen",
        role="support_agent", team=support_team,
    )  # fmt: skip
    citizen = CitizenFactory(name="Marie-Louise Østergaard-Kristiansen")
    now = timezone.now()
    for n in range(25):
        fields = {
            "category": categories[n % len(categories)],
            "subject": "Har ikke modtaget brevet med den midlertidige adgangskode efter flytning",
            "citizen": citizen,
            "assignee": long_name,
            "status": Enquiry.Status.WAITING if n % 2 else Enquiry.Status.IN_PROGRESS,
            "priority": 4 if n % 3 == 0 else 2,
        }
        if n % 3 == 1:
            fields["sla_paused_at"] = now
            fields["resolution_due_at"] = now + datetime.timedelta(days=30)
        EnquiryFactory(overdue=n % 3 != 1, **fields)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", ["agent", "team_lead"])
def test_the_list_shows_15_rows_and_every_column_on_one_1366x768_screen(
    live_server, page, login, assert_accessible, busy_list, persona
):
    page.set_viewport_size(SCREEN)
    login(page, persona)

    page.goto(f"{live_server.url}/enquiries/")
    measured = page.evaluate(MEASURE, WHOLE_COLUMNS)

    assert measured["rowsInView"] >= 15, measured
    assert measured["pageScroll"] <= 0, measured
    assert measured["tableScroll"] <= 0, measured
    assert measured["headersOut"] == [], measured
    assert measured["clipped"] == [], measured
    assert not measured["panelOpen"] and not measured["filtersShown"]
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("query", "error"),
    [("status=new", False), ("received_after=i+går", True), ("", False)],
)
def test_the_filter_panel_opens_when_a_filter_is_set_or_wrong(
    live_server, page, login, personas, query, error
):
    page.set_viewport_size(SCREEN)
    login(page, "agent")

    page.goto(f"{live_server.url}/enquiries/?{query}")

    panel = page.locator("#filter-panel")
    assert panel.evaluate("d => d.open") is bool(query)
    if error:
        expect(panel.locator(".field--error")).to_be_visible()
    page.locator("#filter-panel > summary").click()
    assert panel.evaluate("d => d.open") is not bool(query)


@pytest.fixture
def long_names(personas):
    """Every persona with a name wider than the header has room for.

    The factory's random names made the header's width a matter of chance:
    about one in five was too wide for the manager's navigation.
    """
    for user in personas.values():
        user.first_name = "Christoffer Frederik"
        user.last_name = "Ravnsborg-Christoffersen"
        user.save(update_fields=["first_name", "last_name"])
    return personas


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("persona", ["agent", "team_lead", "secretariat", "manager"])
def test_the_navigation_is_one_line_at_1366px(
    live_server, page, login, assert_accessible, long_names, persona
):
    page.set_viewport_size(SCREEN)
    login(page, persona)

    page.goto(f"{live_server.url}/enquiries/")
    heights = page.evaluate(
        """() => ({
          nav: document.querySelector('.site-nav ul').getBoundingClientRect().height,
          item: document.querySelector('.site-nav li').getBoundingClientRect().height,
          header: document.querySelector('.site-header').getBoundingClientRect().height,
          centres: Array.from(
            document.querySelector('.site-header__inner').children,
            c => (c.getBoundingClientRect().top + c.getBoundingClientRect().bottom) / 2),
        })"""
    )

    assert heights["nav"] <= heights["item"] + 1, heights
    # Title, navigation and tools side by side, not wrapped below each other.
    assert max(heights["centres"]) - min(heights["centres"]) < heights["item"] / 2, heights
    assert heights["header"] < 2 * heights["item"], heights
    # The name gives way where the navigation is long, with the whole of it
    # in the page and its title; a few letters of it stay in view.
    name = page.locator(".site-user")
    full_name = long_names[persona].get_full_name()
    expect(name).to_have_text(full_name)
    expect(name).to_have_attribute("title", full_name)
    assert name.evaluate("e => e.getBoundingClientRect().width") >= 48
    assert_accessible(page)


@pytest.fixture
def letter_desk(taxonomy):
    team = TeamFactory(name="Brevkontoret")
    taxonomy["ministry"].team = team
    taxonomy["ministry"].save()
    return UserFactory(
        username="kah", first_name="Karen", last_name="Hansen", role="support_agent", team=team
    )


@pytest.mark.django_db(transaction=True)
def test_the_log_form_offers_the_queues_people_and_follows_its_channel(
    live_server, page, login, assert_accessible, taxonomy, personas, letter_desk
):
    agent = personas["agent"]
    login(page, "admin")
    page.goto(f"{live_server.url}/enquiries/new/")
    queue, channel = page.locator("#id_queue"), page.locator("#id_channel")
    expect(channel).to_have_value("phone")

    # Another queue: its default channel, and its people only.
    queue.select_option(str(taxonomy["ministry"].pk))
    expect(channel).to_have_value(taxonomy["ministry"].default_channel)
    page.locator("#id_assignee").focus()
    page.keyboard.type(agent.username)
    expect(page.locator(".typeahead__status").last).not_to_be_empty()
    expect(page.locator("#id_assignee_listbox [role=option]")).to_have_count(0)
    page.keyboard.press("Control+A")
    page.keyboard.type("Karen")
    expect(page.locator("#id_assignee_listbox [role=option]")).to_have_count(1)
    assert_accessible(page)
    page.keyboard.press("Enter")
    expect(page.locator("#id_assignee_value")).to_have_value(str(letter_desk.pk))

    # Back to support: Karen cannot take its enquiries, so she is removed
    # and the page says so; a channel the user chose is kept.
    channel.select_option("email")
    queue.select_option(str(taxonomy["support"].pk))
    expect(page.locator("#id_assignee_value")).to_have_value("")
    expect(page.locator("#id_assignee").locator("..")).to_contain_text("Karen Hansen")
    expect(channel).to_have_value("email")

    # The category type-ahead asks for the queue's categories only.
    category = Category.objects.get(topic__queue=taxonomy["support"], code="ikke-modtaget")
    page.locator("#id_category").focus()
    page.keyboard.type(category.name_da)
    options = page.locator("#id_category_listbox [role=option]")
    expect(options.first).to_be_visible()
    assert all("›" in text for text in options.all_inner_texts())
    page.locator(f"#id_category_option_{category.pk}").click()
    page.locator("#id_subject").fill("Brevet kom aldrig")
    page.locator("#id_assignee").focus()
    page.keyboard.type(agent.username)
    page.locator(f"#id_assignee_option_{agent.pk}").click()
    with page.expect_navigation():
        page.locator(".actions-row button[value=save]").click()

    enquiry = Enquiry.objects.get(subject="Brevet kom aldrig")
    assert (enquiry.queue, enquiry.category, enquiry.assignee) == (
        taxonomy["support"],
        category,
        agent,
    )
    assert enquiry.channel == "email"


@pytest.mark.django_db(transaction=True)
def test_nobody_found_puts_registering_the_caller_one_key_away(live_server, page, login, personas):
    login(page, "agent")
    page.goto(f"{live_server.url}/enquiries/new/")

    page.keyboard.type("Ejnar Ukendtsen")
    page.keyboard.press("Enter")

    fresh = page.locator("#citizen-new")
    expect(fresh).to_be_focused()
    expect(fresh).to_be_checked()
    expect(page.locator("#new-citizen")).to_be_visible()
    expect(page.locator("#id_citizen-name")).to_have_value("Ejnar Ukendtsen")


@pytest.mark.django_db(transaction=True)
def test_an_impossible_cpr_number_is_called_invalid_not_unknown(live_server, page, login, personas):
    login(page, "agent")
    page.goto(f"{live_server.url}/enquiries/new/")

    page.keyboard.type("310299-1234")
    page.keyboard.press("Enter")

    status = page.locator("#citizen-lookup-status")
    expect(status).to_contain_text("ikke et gyldigt CPR-nummer")
    expect(page.locator("#id_citizen_query")).to_be_focused()
    expect(page.locator("#citizen-new")).not_to_be_checked()


@pytest.mark.django_db(transaction=True)
def test_a_due_phrase_without_a_year_says_which_year_it_takes(
    live_server, page, login, assert_accessible, personas
):
    Theme.objects.create(code="support", name_da="Support")
    Organisation.objects.create(code="danid", name="DanID", kind="operator")
    login(page, "secretariat")
    page.goto(f"{live_server.url}/actions/new/")

    page.locator("#id_due_phrase").fill("medio januar")

    preview = page.locator("#due-preview")
    expect(preview).to_contain_text("Der er ikke angivet et år")
    year = timezone.localdate().year + (0 if timezone.localdate().month == 1 else 1)
    expect(preview).to_contain_text(str(year))
    assert_accessible(page)
    page.locator("#id_due_phrase").fill("medio januar 2011")
    expect(preview).to_contain_text("2011")
    expect(preview).not_to_contain_text("Der er ikke angivet et år")


@pytest.mark.django_db(transaction=True)
def test_workload_is_searched_and_sorted_and_accessible(
    live_server, page, login, assert_accessible, personas, support_team
):
    for n in range(30):
        UserFactory(username=f"floor{n:02d}", role="support_agent", team=support_team)
    page.set_viewport_size(SCREEN)
    login(page, "team_lead")

    page.goto(f"{live_server.url}/analytics/workload/")
    assert_accessible(page)
    page.locator("#member-q").fill("floor2")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    rows = page.locator("table:not(.workload-teams) tbody tr")
    expect(rows).to_have_count(10)
    with page.expect_navigation():
        page.get_by_role("link", name="Medlem").click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Medlem")
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_the_list_is_filtered_by_a_person_picked_by_type_ahead(
    live_server, page, login, assert_accessible, taxonomy, personas
):
    category = Category.objects.get(topic__queue=taxonomy["support"], code="ikke-modtaget")
    lead = personas["team_lead"]
    theirs = EnquiryFactory(category=category, subject="Teamlederens sag", assignee=lead)
    EnquiryFactory(category=category, subject="En andens sag", assignee=personas["agent"])
    login(page, "agent")
    page.goto(f"{live_server.url}/enquiries/")

    page.locator("#filter-panel > summary").click()
    page.locator("#id_assignee").focus()
    page.keyboard.type(lead.last_name)
    expect(page.locator(f"#id_assignee_option_{lead.pk}")).to_be_visible()
    assert_accessible(page)
    page.keyboard.press("Enter")
    with page.expect_navigation():
        page.locator("#filter-panel button[type=submit]").click()

    expect(page.locator(".enquiry-table tbody tr")).to_have_count(1)
    expect(page.locator(".enquiry-table")).to_contain_text(theirs.reference)
    assert f"assignee={lead.pk}" in page.url
    expect(page.locator("#id_assignee")).to_have_value(
        f"{lead.get_full_name()} ({lead.username} · NemID-support)"
    )
