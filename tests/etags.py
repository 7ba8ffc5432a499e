"""Changing a row through the API as a client must: with its ETag.

A PATCH without If-Match is refused (428), so tests that change a row
first read it, as a well-behaved client does.
"""

from django.test import Client


def if_match(client: Client, url: str) -> dict[str, str]:
    """The If-Match header for a change of `url`: the ETag its GET answers.

    Empty when the GET gives none (the role may not read the row): the
    change is then refused before its precondition is looked at.
    """
    tag = client.get(url).headers.get("ETag")
    return {"If-Match": tag} if tag else {}


def patch_json(client: Client, url: str, body, **kwargs):
    """PATCH `body` as JSON with the row's current ETag."""
    return client.patch(
        url, body, content_type="application/json", headers=if_match(client, url), **kwargs
    )
