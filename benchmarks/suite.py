"""The benchmarks: one decorated function each.

Add one like this:

    @benchmark("Dashboard", target="< 50 ms at 1M")
    def dashboard(ctx):
        url = _url("dashboards:overview")   # Skip if the route is missing
        return _get(ctx, url)

`prepare(ctx)` does the setup, untimed, and returns what is timed: a
callable, or a `Timed` whose `before` and `after` run untimed around every
run (for work that must be set up and undone each time).
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.db import connection, transaction
from django.test import override_settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from accounts.models import User
from benchmarks.harness import (
    BENCH_MANAGER,
    Context,
    Skip,
    Timed,
    benchmark,
    client_for,
    in_rolled_back_transaction,
)
from enquiries import services
from enquiries.models import Category, Enquiry, Queue, Topic

SEARCH_WORDS = "nøglekort"
FULL_TEXT_SEARCH = f"Full-text search “{SEARCH_WORDS}”, first 25"
DASHBOARD = "Dashboard, July–October 2010, all queues (manager)"
DASHBOARD_CACHED = "Dashboard, cached tables (second manager)"
BREACHES = 10_000
ESCALATION = f"Escalation sweep, {BREACHES:,} breaches (all support ones below that)"
SHARES_MONTH = (datetime.date(2010, 9, 1), datetime.date(2010, 9, 30))
REPORT = (datetime.date(2010, 7, 1), datetime.date(2010, 10, 31))


def _url(name: str, **kwargs) -> str:
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        raise Skip(f"no route {name} on this branch yet") from None


def _get(ctx: Context, url: str, client=None):
    client = client or ctx.client

    def run():
        response = client.get(url)
        if response.status_code != 200:
            raise AssertionError(f"GET {url} answered {response.status_code}")
        return response

    return run


def _list_filters() -> str:
    topic = Topic.objects.get(queue__code="support", code="midlertidig-adgangskode")
    return f"queue=support&topic={topic.pk}&status=closed&status=resolved"


@benchmark(DASHBOARD, target="< 50 ms at 1M, <= 1.5x 10k")
def dashboard(ctx: Context):
    """Every figure read from the database: none is kept (dashboards.cache)."""
    url = f"{_url('dashboards:overview')}?period=report-2010"
    if ctx.manager_client is None:
        raise Skip("no manager user")
    uncached = override_settings(DASHBOARD_CACHE_SECONDS=0)
    return Timed(
        run=_get(ctx, url, ctx.manager_client), before=uncached.enable, after=uncached.disable
    )


def _second_manager() -> User:
    """A manager with the roles of the benchmarks' one, made once."""
    manager = User.objects.get(username=BENCH_MANAGER)
    other, made = User.objects.get_or_create(
        username=f"{BENCH_MANAGER}-2", defaults={"first_name": "Anden", "last_name": "Leder"}
    )
    if made:
        other.groups.set(manager.groups.all())
    return other


@benchmark(DASHBOARD_CACHED, target="")
def dashboard_cached(ctx: Context):
    """Another manager of the same scope, after the first read the figures."""
    if ctx.manager_client is None:
        raise Skip("no manager user")
    url = f"{_url('dashboards:overview')}?period=report-2010"
    # Made before the figures are kept: a new user moves the validator.
    other = client_for(_second_manager())
    _get(ctx, url, ctx.manager_client)()
    return _get(ctx, url, other)


@benchmark("Enquiry list, first page, filtered (HTML)", target="< 30 ms at 1M")
def enquiry_list_html(ctx: Context):
    return _get(ctx, f"{_url('enquiries:list')}?{_list_filters()}")


@benchmark("Enquiry list, first page, filtered (API)", target="< 30 ms at 1M")
def enquiry_list_api(ctx: Context):
    return _get(ctx, f"{_url('api:enquiry-list')}?{_list_filters()}")


def _revalidate(ctx: Context, url: str, client=None):
    """A GET with the ETag of the previous answer: a 304 while unchanged."""
    client = client or ctx.client
    tag = client.get(url).headers.get("ETag")
    if not tag:
        raise Skip(f"{url} answers without an ETag on this branch")

    def run():
        response = client.get(url, headers={"If-None-Match": tag})
        if response.status_code != 304:
            raise AssertionError(f"GET {url} with its ETag answered {response.status_code}")
        return response

    return run


@benchmark("Dashboard, revalidated with its ETag (304)", target="")
def dashboard_not_modified(ctx: Context):
    if ctx.manager_client is None:
        raise Skip("no manager user")
    url = f"{_url('dashboards:overview')}?period=report-2010"
    return _revalidate(ctx, url, ctx.manager_client)


@benchmark("Enquiry list (API), revalidated with its ETag (304)", target="")
def enquiry_list_api_not_modified(ctx: Context):
    return _revalidate(ctx, f"{_url('api:enquiry-list')}?{_list_filters()}")


@benchmark(FULL_TEXT_SEARCH, target="< 100 ms at 1M")
def full_text_search(ctx: Context):
    def run():
        # As the list pages do: the page's ids, then their rows.
        ids = list(
            Enquiry.objects.visible_to(ctx.agent)
            .search(SEARCH_WORDS)
            .order_by("-received_at", "-id")
            .values_list("pk", flat=True)[:25]
        )
        return Enquiry.objects.page_rows(ids)

    return run


@benchmark("Enquiry detail (HTML)", target="< 20 ms")
def enquiry_detail(ctx: Context):
    return _get(ctx, _url("enquiries:detail", reference=ctx.sample.reference))


@benchmark("Create an enquiry via the API (rolled back)", target="")
def create_enquiry_api(ctx: Context):
    url = _url("api:enquiry-list")
    category = Category.objects.get(topic__queue__code="support", code="ikke-modtaget")
    body = json.dumps(
        {
            "queue": "support",
            "subject": "Har ikke modtaget den midlertidige adgangskode",
            "category": category.pk,
        }
    )

    def create():
        response = ctx.client.post(url, body, content_type="application/json")
        if response.status_code != 201:
            raise AssertionError(f"POST {url} answered {response.status_code}: {response.content}")

    return in_rolled_back_transaction(create)


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


@benchmark("Topic shares and day summaries, one month (September 2010)", target="< 1 s at 1M")
def topic_shares_month(ctx: Context):
    from analytics.services import rebuild_topic_shares

    first, last = SHARES_MONTH
    # Idempotent: every run rewrites the same month with the same counts.
    return lambda: rebuild_topic_shares(first, last)


@benchmark(
    "Topic shares and day summaries, one dirty day (15 September 2010, every queue)",
    target="< 1 s at 1M, flat from 10k",
)
def topic_shares_dirty_day(ctx: Context):
    """What the recompute task does after changes: the marked days only.

    The day's rows are counted again from its enquiries; its week and
    month are summed again from their day rows. Every queue has the day
    marked (untimed), as a busy day's changes would leave it.
    """
    from analytics.models import DirtyDay
    from analytics.services import recompute_dirty_days

    day = datetime.date(2010, 9, 15)
    now = timezone.now()

    def mark():
        # Only this day: marks left by other work on the database (a load
        # test's new enquiries mark today) would be recomputed too.
        DirtyDay.objects.all().delete()
        DirtyDay.objects.bulk_create(
            DirtyDay(queue=queue, day=day, marked_at=now) for queue in Queue.objects.all()
        )

    def run():
        done = recompute_dirty_days(now=now)
        if set(done.values()) != {1}:
            raise AssertionError(f"recomputed {done}")

    return Timed(run=run, before=mark)


@benchmark(ESCALATION, target="< 2 s")
def escalation_sweep(ctx: Context):
    from enquiries.escalation import escalate_overdue_enquiries

    now = timezone.now()
    ids = list(
        Enquiry.objects.filter(queue__code="support")
        .order_by("-received_at", "-id")
        .values_list("pk", flat=True)[:BREACHES]
    )
    atomic = transaction.atomic()

    def before():
        # Untimed, undone after each run: 10,000 open enquiries past their
        # resolution deadline; the other open ones are left as escalated
        # already, so exactly these are due.
        atomic.__enter__()
        Enquiry.objects.open().update(escalation_level=2, next_escalation_at=None)
        Enquiry.objects.filter(pk__in=ids).update(
            status=Enquiry.Status.IN_PROGRESS,
            resolved_at=None,
            closed_at=None,
            sla_paused_at=None,
            resolution_due_at=now - datetime.timedelta(hours=1),
            escalation_level=0,
            escalated_at=None,
            next_escalation_at=None,
        )

    def run():
        # Every batch the 10,000 need (the beat's default stops at 5,000).
        counts = escalate_overdue_enquiries(now=now, max_batches=BREACHES // 100)
        if counts[1] != len(ids):
            raise AssertionError(f"escalated {counts}")

    def after():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)

    return Timed(run=run, before=before, after=after)


@benchmark("Report build, July–October 2010 (HTML)", target="")
def report_build(ctx: Context):
    from reports import rendering
    from reports.user_analysis import build_user_analysis

    return lambda: rendering.render_html(build_user_analysis(*REPORT))


def _committed_api_create(ctx: Context):
    """POST an enquiry through the API and keep it, so its after-commit
    messages are published (the rolled-back create above publishes none)."""
    url = _url("api:enquiry-list")
    body = json.dumps({"queue": "support", "subject": "Kan ikke logge på"})
    created: list[str] = []

    def create():
        response = ctx.client.post(url, body, content_type="application/json")
        if response.status_code != 201:
            raise AssertionError(f"POST {url} answered {response.status_code}: {response.content}")
        created.append(response.json()["reference"])

    def forget():
        Enquiry.objects.filter(reference__in=created).delete()
        created.clear()

    return create, forget


@benchmark("Create an enquiry via the API, committed (broker healthy)", target="")
def create_enquiry_committed(ctx: Context):
    create, forget = _committed_api_create(ctx)
    return Timed(run=create, after=forget)


@benchmark(
    "Create an enquiry via the API, committed, broker hanging",
    target="within 50 ms of the healthy create",
)
def create_enquiry_broker_hanging(ctx: Context):
    import socket

    from nemid_cases.celery import app

    # A port that accepts connections and never answers (docs/operations.md).
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen(128)
    saved = app.conf.broker_url, app.conf.broker_transport_options
    create, forget = _committed_api_create(ctx)

    def hang():
        app._pool, app.amqp._producer_pool = None, None
        app.conf.broker_url = f"redis://127.0.0.1:{hung.getsockname()[1]}/0"
        app.conf.broker_transport_options = {
            "max_retries": 0,
            "socket_connect_timeout": 2,
            "socket_timeout": 5,
        }

    def restore():
        # The broker as it was for the benchmarks after this one; the
        # relay's circuit is left as the hang left it (it closes by itself
        # after CELERY_PUBLISH_PAUSE, long before the next size is loaded).
        forget()
        app._pool, app.amqp._producer_pool = None, None
        app.conf.broker_url, app.conf.broker_transport_options = saved

    # The warm-up run pays the one wait of CELERY_PUBLISH_WAIT and opens the
    # circuit; the timed runs are the saves that follow while it hangs.
    return Timed(run=create, before=hang, after=restore)


MAIL_CORPUS = Path(__file__).resolve().parent.parent / "tests" / "mailroom" / "corpus"


@benchmark(
    "Inbound e-mail parsed and filed as a new enquiry (Outlook, rolled back)", target="< 200 ms"
)
def inbound_mail(ctx: Context):
    from mailroom.models import Mailbox
    from mailroom.services import receive_message

    queue = Queue.objects.get(code="support")
    mailbox, _created = Mailbox.objects.get_or_create(
        address="bench@sager.nemid.example", defaults={"queue": queue}
    )
    raw = (MAIL_CORPUS / "outlook.eml").read_bytes()

    def receive():
        row = receive_message(mailbox, raw, via="push")
        if row.enquiry_id is None:
            raise AssertionError(f"The mail was not filed: {row.status} {row.reason}")

    return in_rolled_back_transaction(receive)


@benchmark(
    "Inbound e-mail reply threaded onto its enquiry (Apple Mail, rolled back)", target="< 200 ms"
)
def inbound_reply(ctx: Context):
    from mailroom.models import Mailbox
    from mailroom.services import receive_message

    queue = Queue.objects.get(code="support")
    mailbox, _created = Mailbox.objects.get_or_create(
        address="bench@sager.nemid.example", defaults={"queue": queue}
    )
    reference = ctx.sample.reference
    raw = (
        (MAIL_CORPUS / "apple_mail.eml")
        .read_bytes()
        .replace(b"NID-2026-000041", reference.encode())
    )

    def receive():
        row = receive_message(mailbox, raw, via="push")
        if row.enquiry_id != ctx.sample.pk:
            raise AssertionError(f"The reply was not threaded: {row.status} {row.reason}")

    return in_rolled_back_transaction(receive)


ARTICLES = 5_000
SUGGEST = "Suggestion list (knowledge base), subject and category, 5,000 articles"
SUGGEST_SUBJECT = "nøglekort ikke modtaget adgangskode"


def _ensure_articles(count: int) -> None:
    """`count` articles with one version each, spread over the categories;
    kept between runs (the enquiries are replaced, the articles are not).
    Written in bulk: on PostgreSQL the index reads the column itself."""
    from knowledge.models import Article, ArticleVersion

    have = Article.objects.filter(key__startswith="bench-").count()
    if have >= count:
        return
    categories = list(Category.objects.select_related("topic"))
    words = ["nøglekort", "adgangskode", "spærret", "bank", "brev", "netbank", "digital", "post"]
    articles, versions = [], []
    for n in range(have, count):
        category = categories[n % len(categories)]
        title_da = f"{category.name_da} {words[n % len(words)]} vejledning {n}"
        body_da = f"Sådan hjælper du borgeren med {words[(n * 3) % len(words)]} ({n})."
        text = f"{title_da}\n{body_da}"
        articles.append(
            Article(
                key=f"bench-{n}",
                category=category,
                topic=category.topic,
                search_text=text,
            )
        )
    with transaction.atomic():
        Article.objects.bulk_create(articles, batch_size=1000)
        by_key = dict(Article.objects.filter(key__startswith="bench-").values_list("key", "pk"))
        for article in articles:
            title_da, body_da = article.search_text.split("\n")
            versions.append(
                ArticleVersion(
                    article_id=by_key[article.key],
                    version=1,
                    valid_from=timezone.now() - datetime.timedelta(days=1),
                    title_da=title_da,
                    body_da=body_da,
                    title_en=title_da,
                    body_en=body_da,
                )
            )
        ArticleVersion.objects.bulk_create(versions, batch_size=1000)
        if connection.vendor == "sqlite":
            # bulk_create skips Article.save(), which keeps the FTS5 table.
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO knowledge_article_fts (rowid, search_text) VALUES (%s, %s)",
                    [(by_key[a.key], a.search_text) for a in articles],
                )


@benchmark(SUGGEST, target="< 50 ms at 1M enquiries and 5,000 articles")
def suggest(ctx: Context):
    _ensure_articles(ARTICLES)
    category = Category.objects.get(topic__queue__code="support", code="ikke-modtaget")
    url = f"{_url('knowledge:suggest')}?subject={SUGGEST_SUBJECT}&category={category.pk}"
    return _get(ctx, url)


@benchmark(
    "Suggestion list, API (/api/v1/articles/suggestions/), 5,000 articles",
    target="< 50 ms at 1M enquiries and 5,000 articles",
)
def suggest_api(ctx: Context):
    _ensure_articles(ARTICLES)
    category = Category.objects.get(topic__queue__code="support", code="ikke-modtaget")
    url = f"{_url('api:article-suggestions')}?subject={SUGGEST_SUBJECT}&category={category.pk}"
    return _get(ctx, url)
