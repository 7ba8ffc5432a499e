"""Headers by mechanism (issue 8.6), on the API too and behind HTTPS.

tests/browser/test_live_server.py walks every page of every role on a real
server; these cover what the walk does not: API answers, a view that opts
into public caching, and the HTTPS settings for TLS ending at a proxy.
"""

from pathlib import Path

import pytest
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django.views.decorators.cache import cache_control

from nemid_cases.urls import urlpatterns as site_patterns
from tests.browser.live import inline_code


@login_not_required
@cache_control(public=True, max_age=300)
def public_page(request):
    return HttpResponse("public")


urlpatterns = [*site_patterns, path("public/", public_page)]


@pytest.mark.parametrize(
    "url", ["/api/v1/enquiries/", "/api/v1/queues/", "/api/v1/enquiries/NID-2010-999999/"]
)
def test_api_answers_are_not_stored(client_as, taxonomy, url):
    response = client_as("agent").get(url)

    assert response["Cache-Control"] == "no-store"
    assert "unsafe-inline" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_anonymous_answers_are_not_stored_either():
    for url in ("/accounts/login/", "/api/v1/enquiries/", "/enquiries/"):
        assert "no-store" in Client().get(url)["Cache-Control"], url


@pytest.mark.django_db
@pytest.mark.urls("tests.site.test_headers")
def test_a_view_that_chooses_public_caching_keeps_it():
    response = Client().get("/public/")

    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=300"


def test_the_csp_allows_no_inline_code_and_no_framing(client_as):
    csp = client_as("agent").get("/enquiries/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))

    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"


def test_permissions_policy_switches_off_unused_features(client_as):
    policy = client_as("agent").get("/enquiries/")["Permissions-Policy"]

    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_hsts_and_redirect_are_off_until_https_is_configured(client_as):
    response = client_as("agent").get("/enquiries/")

    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response


@pytest.mark.django_db
def test_behind_a_tls_proxy_https_is_enforced(settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    client = Client()

    plain = client.get("/accounts/login/")
    proxied = client.get("/accounts/login/", headers={"x-forwarded-proto": "https"})
    health = client.get("/healthz")

    assert plain.status_code == 301
    assert plain["Location"].startswith("https://")
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert health.status_code == 200


# Documents that are saved or printed, never shown under the CSP.
DOCUMENTS = {
    # The report as one self-contained file (sent as an attachment) and the
    # PDF's source for weasyprint: its stylesheet must travel inside it.
    "reports/user_analysis_document.html",
    # A citizen's access export, downloaded as one file to send on.
    "privacy/access_export.html",
    # A reply's letter, only ever rendered into a PDF for print.
    "answers/letter.html",
}


def test_no_template_has_inline_script_style_or_handler():
    # The crawl (test_live_server.py) sees rendered pages; this sees every
    # template, partials and e-mails included, as written.
    templates = Path(__file__).resolve().parents[2] / "templates"
    found = {
        name: inline
        for template in sorted(templates.rglob("*.html"))
        if (name := str(template.relative_to(templates))) not in DOCUMENTS
        and (inline := inline_code(template.read_text()))
    }

    assert not found, found
    assert len(list(templates.rglob("*.html"))) > 50
