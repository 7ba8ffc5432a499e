"""The people of `make loadtest`, as locust users (docs/benchmarks.md).

Run by `python -m benchmarks.load`, which prepares the users and passes
them in LOADTEST_PEOPLE (a JSON file written by benchmarks/load/people.py)
and the think time in LOADTEST_THINK ("5-10" seconds). Every request is
named after the route it exercises, so the printed table has one row per
route whatever the ids in its URLs.

- Agent: the enquiry list, one enquiry's page, a note on it; now and then a
  search or a newly logged enquiry (the floor of November 2010).
- TeamLead: an agent who also triages up to five new enquiries at once.
- Manager: the dashboard, a drill-down from one of its figures, an export
  of that drill-down.
- ApiClient: a system on a token: list, detail, create (idempotent).

Signing in is done outside the figures (see Person.sign_in).

Pages are read with the standard library's HTMLParser: a form is sent
with the values the page rendered (hidden fields, selected options), so
the load test follows the forms as they change.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid
from html.parser import HTMLParser

import requests
from locust import HttpUser, between, task

with open(os.environ["LOADTEST_PEOPLE"], encoding="utf-8") as people:
    PEOPLE = json.load(people)
THINK = [float(part) for part in os.environ.get("LOADTEST_THINK", "5-10").split("-")]
REFERENCE = re.compile(r'href="/enquiries/([A-Z0-9]{1,5}-\d{4}-\d+)/"')
SEARCH_WORDS = ["nøglekort", "aktivering", "netbank", "adgangskode", "digital signatur"]
# `--smoke`: every user runs each of its tasks once on start, so a short
# run (CI) exercises every route whatever the random choice of tasks.
SMOKE = os.environ.get("LOADTEST_SMOKE") == "1"
_accounts = {role: itertools.cycle(people) for role, people in PEOPLE["accounts"].items()}


def smoke(user) -> None:
    if SMOKE:
        for work in dict.fromkeys(user.tasks):
            work(user)


class _Forms(HTMLParser):
    """Each <form>'s action and the values a browser would send untouched."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._first_option: str | None = None
        self._textarea: str | None = None

    @property
    def _fields(self) -> dict:
        return self.forms[-1]["fields"]

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}})
        elif not self.forms:
            return
        elif tag == "input" and attrs.get("name"):
            self._input(attrs)
        elif tag == "select" and attrs.get("name"):
            self._select, self._first_option = attrs["name"], None
        elif tag == "option" and self._select:
            self._option(attrs)
        elif tag == "textarea" and attrs.get("name"):
            self._textarea = attrs["name"]
            self._fields.setdefault(self._textarea, "")

    def _input(self, attrs: dict) -> None:
        """An input's value, unless it is an unchecked box or a button."""
        kind = attrs.get("type", "text")
        if kind in ("checkbox", "radio") and "checked" not in attrs:
            return
        if kind not in ("submit", "button", "file"):
            self._fields.setdefault(attrs["name"], attrs.get("value") or "")

    def _option(self, attrs: dict) -> None:
        value = attrs.get("value", "")
        if self._first_option is None and value:
            self._first_option = value
        if "selected" in attrs:
            self._fields[self._select] = value

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            # A required choice with nothing selected takes its first option.
            self._fields.setdefault(self._select, self._first_option or "")
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self._fields[self._textarea] += data


def form(html: str, action: str, page: str = "") -> dict:
    """The fields of the first form posting to a path that ends with `action`.

    A form without an action posts to its own page, `page`.
    """
    parser = _Forms()
    parser.feed(html)
    for found in parser.forms:
        target = found["action"].split("?")[0] or page
        if target.endswith(action):
            return dict(found["fields"])
    raise AssertionError(f"no form posting to {action}")


class Person(HttpUser):
    """Someone at a desk: signs in once, then works with think time."""

    abstract = True
    role = "agent"
    wait_time = between(*THINK)

    def on_start(self):
        self.sign_in()
        smoke(self)

    def sign_in(self):
        """Sign in through the login form, outside the figures.

        Signing in hashes a password (a deliberately slow step); 270 people
        do it once a morning, not between calls, so it is not timed here.
        """
        self.username = next(_accounts[self.role])
        session = requests.Session()
        page = session.get(f"{self.host}/accounts/login/", timeout=120)
        fields = form(page.text, "/accounts/login/", "/accounts/login/")
        fields |= {"username": self.username, "password": PEOPLE["password"]}
        answer = session.post(
            f"{self.host}/accounts/login/", data=fields, allow_redirects=False, timeout=120
        )
        if answer.status_code != 302:
            raise RuntimeError(f"{self.username} could not sign in: {answer.status_code}")
        self.client.cookies.update(session.cookies)

    def page(self, url: str, name: str, **params):
        with self.client.get(url, params=params, name=name, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{name}: {answer.status_code}")
            return answer

    def send(self, url: str, data: dict, name: str):
        """POST a form as a browser does; a redirect is success."""
        with self.client.post(
            url, data=data, name=name, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"{name}: {answer.status_code} {answer.text[:200]!r}")
            return answer


class Agent(Person):
    @task(6)
    def work_an_enquiry(self):
        listing = self.page("/enquiries/", "enquiry list")
        references = REFERENCE.findall(listing.text)
        if not references:
            return
        url = f"/enquiries/{random.choice(references)}/"
        detail = self.page(url, "enquiry detail")
        if detail.status_code != 200:
            return
        note = form(detail.text, "/notes/") | {"text": "Ringede op; borgeren prøver igen i aften."}
        self.send(f"{url}notes/", note, "add note")

    @task(1)
    def search(self):
        self.page("/enquiries/", "search", q=random.choice(SEARCH_WORDS))

    @task(1)
    def log_an_enquiry(self):
        page = self.page("/enquiries/new/", "log enquiry form")
        fields = form(page.text, "/enquiries/new/", "/enquiries/new/")
        fields |= {
            "citizen_choice": "none",
            "subject": "Kan ikke aktivere NemID efter nyt nøglekort",
            "description": "Borgeren har fået nyt nøglekort og kan ikke logge på netbank.",
        }
        self.send("/enquiries/new/", fields, "log enquiry")


class TeamLead(Agent):
    # As many as the driver made (one per 27 agents): a fixed number, not a share.
    fixed_count = int(os.environ.get("LOADTEST_LEADS", "1"))
    role = "teamlead"

    @task(2)
    def triage_new_enquiries(self):
        listing = self.page("/enquiries/", "enquiry list (new)", status="new")
        ids = re.findall(r'name="selected" value="(\d+)"', listing.text)
        if not ids:
            return
        fields = form(listing.text, "/enquiries/bulk-triage/")
        fields["selected"] = random.sample(ids, min(5, len(ids)))
        fields["priority"] = "2"
        self.send("/enquiries/bulk-triage/", fields, "bulk triage")


class Manager(Person):
    role = "manager"

    @task
    def watch_the_dashboard(self):
        dashboard = self.page("/dashboards/", "dashboard")
        # A drill-down is a figure's link to the filtered enquiry list.
        drills = re.findall(r'href="(/enquiries/\?[^"]+)"', dashboard.text)
        if not drills:
            return
        query = random.choice(drills).split("?", 1)[1].replace("&amp;", "&")
        self.page(f"/enquiries/?{query}", "drill-down")
        self.page(f"/exports/enquiries.csv?{query}", "export (csv)")


class ApiClient(HttpUser):
    """A system with a token (a bank, a reporting tool)."""

    wait_time = between(*THINK)

    def on_start(self):
        token = next(_accounts["api"])
        self.client.headers["Authorization"] = f"Token {token}"
        smoke(self)

    def _json(self, url: str, name: str, **params):
        with self.client.get(url, params=params, name=name, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{name}: {answer.status_code}")
                return None
            return answer.json()

    @task(4)
    def read(self):
        listing = self._json("/api/v1/enquiries/", "api: enquiry list", page_size=50)
        if listing and listing["results"]:
            enquiry = random.choice(listing["results"])
            self._json(f"/api/v1/enquiries/{enquiry['id']}/", "api: enquiry detail")

    @task(1)
    def create(self):
        body = {"queue": "support", "subject": "Henvendelse fra bankens system"}
        with self.client.post(
            "/api/v1/enquiries/",
            json=body,
            headers={"Idempotency-Key": str(uuid.uuid4())},
            name="api: create enquiry",
            catch_response=True,
        ) as answer:
            if answer.status_code != 201:
                answer.failure(f"create: {answer.status_code} {answer.text[:200]!r}")
