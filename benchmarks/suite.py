"""The benchmarks: one decorated function each.

Add one like this (a dashboard, a topic-share recompute, an escalation
sweep with 10,000 breaches, the report build...):

    @benchmark("Dashboard", target="< 50 ms at 1M")
    def dashboard(ctx):
        url = reverse("analytics:dashboard")   # Skip if the route is missing
        return lambda: ctx.client.get(url)

`prepare(ctx)` does the setup, untimed, and returns what is timed.
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from benchmarks.harness import Context, Skip, benchmark, in_rolled_back_transaction
from enquiries import services
from enquiries.models import Category, Enquiry, Queue, Topic

SEARCH_WORDS = "nøglekort"
FULL_TEXT_SEARCH = f"Full-text search “{SEARCH_WORDS}”, first 25"


def _url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        raise Skip(f"no route {name} on this branch yet") from None


def _get(ctx: Context, url: str):
    def run():
        response = ctx.client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"GET {url} answered {response.status_code}")
        return response

    return run


def _list_filters() -> str:
    topic = Topic.objects.get(queue__code="support", code="midlertidig-adgangskode")
    return f"queue=support&topic={topic.pk}&status=closed&status=resolved"


@benchmark("Enquiry list, first page, filtered (HTML)", target="< 30 ms at 1M")
def enquiry_list_html(ctx: Context):
    return _get(ctx, f"{_url('enquiries:list')}?{_list_filters()}")


@benchmark("Enquiry list, first page, filtered (API)", target="< 30 ms at 1M")
def enquiry_list_api(ctx: Context):
    return _get(ctx, f"{_url('api:enquiry-list')}?{_list_filters()}")


@benchmark(FULL_TEXT_SEARCH, target="< 100 ms at 1M")
def full_text_search(ctx: Context):
    def run():
        return list(
            Enquiry.objects.visible_to(ctx.agent)
            .search(SEARCH_WORDS)
            .for_list()
            .order_by("-received_at", "-id")[:25]
        )

    return run


@benchmark("Enquiry detail (HTML)", target="< 20 ms")
def enquiry_detail(ctx: Context):
    return _get(ctx, _url("enquiries:detail", reference=ctx.sample.reference))


@benchmark("Create an enquiry via the service (rolled back)", target="")
def create_enquiry(ctx: Context):
    queue = Queue.objects.get(code="support")
    category = Category.objects.select_related("topic").get(
        topic__queue=queue, code="ikke-modtaget"
    )

    def create():
        services.register_enquiry(
            queue,
            by=ctx.agent,
            subject="Har ikke modtaget den midlertidige adgangskode",
            category=category,
            assignee=ctx.agent,
        )

    return in_rolled_back_transaction(create)
