"""The people of `make loadtest`, as locust users (docs/benchmarks.md).

Run by `python -m benchmarks.load`, which prepares the users and passes
them in LOADTEST_PEOPLE (a JSON file written by benchmarks/load/people.py)
and the think time in LOADTEST_THINK ("5-10" seconds). Every request is
named after the route it exercises, so the printed table has one row per
route whatever the ids in its URLs.

- Agent: the enquiry list, one enquiry's page, a note on it; now and then a
  search or a newly logged enquiry (the floor of November 2010). A person
  thinks between the steps of a task, not only between tasks: the list is
  read before an enquiry is chosen, the enquiry before the note is written
  (`Person.think`), so 270 agents ask for about 40 requests a second, as
  issue 11 counted the floor, not for 95.
- TeamLead: an agent who also triages up to five new enquiries at once.
- Manager: the dashboard, a drill-down from one of its figures, an export
  of that drill-down.
- ApiClient: a system on a token: list, detail, create (idempotent).
- ListReader: an agent's enquiry list asked for again as soon as it
  answers (no think time): the list page's saturation throughput.

Everyone is signed in before the run (the driver, benchmarks/load/__main__.py,
through the login form; LOADTEST_SESSIONS holds their cookies), so no
request of the run waits behind a password hash. Forms are sent with the
values their page rendered (benchmarks/load/forms.py).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid

from locust import HttpUser, between, constant, task

from benchmarks.load.forms import form

with open(os.environ["LOADTEST_PEOPLE"], encoding="utf-8") as people:
    PEOPLE = json.load(people)
THINK = [float(part) for part in os.environ.get("LOADTEST_THINK", "5-10").split("-")]
REFERENCE = re.compile(r'href="/enquiries/([A-Z0-9]{1,5}-\d{4}-\d+)/"')
SEARCH_WORDS = ["nøglekort", "aktivering", "netbank", "adgangskode", "digital signatur"]
# `--smoke`: every user runs each of its tasks once on start, so a short
# run (CI) exercises every route whatever the random choice of tasks.
SMOKE = os.environ.get("LOADTEST_SMOKE") == "1"
_accounts = {role: itertools.cycle(people) for role, people in PEOPLE["accounts"].items()}
with open(os.environ["LOADTEST_SESSIONS"], encoding="utf-8") as signed_in:
    _sessions = {role: itertools.cycle(cookies) for role, cookies in json.load(signed_in).items()}


def smoke(user) -> None:
    if SMOKE:
        for work in dict.fromkeys(user.tasks):
            work(user)


class Person(HttpUser):
    """Someone at a desk: signs in once, then works with think time."""

    abstract = True
    role = "agent"
    wait_time = between(*THINK)

    def on_start(self):
        # Signed in by the driver before the run: this person's cookies.
        self.client.cookies.update(next(_sessions[self.role]))
        smoke(self)

    def think(self) -> None:
        """The think time between two steps of one task (none in `--smoke`)."""
        if not SMOKE:
            self.wait()

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
        self.think()
        detail = self.page(url, "enquiry detail")
        if detail.status_code != 200:
            return
        self.think()
        note = form(detail.text, "/notes/") | {"text": "Ringede op; borgeren prøver igen i aften."}
        self.send(f"{url}notes/", note, "add note")

    @task(1)
    def search(self):
        self.page("/enquiries/", "search", q=random.choice(SEARCH_WORDS))

    @task(1)
    def log_an_enquiry(self):
        page = self.page("/enquiries/new/", "log enquiry form")
        fields = form(page.text, "/enquiries/new/", "/enquiries/new/")
        self.think()
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
        self.think()
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
        self.think()
        self.page(f"/enquiries/?{query}", "drill-down")
        self.think()
        self.page(f"/exports/enquiries.csv?{query}", "export (csv)")


class ListReader(Person):
    """The first page of an agent's list, again as soon as it answers."""

    wait_time = constant(0)

    @task
    def read_the_list(self):
        self.page("/enquiries/", "enquiry list (saturation)")


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
