"""The forms of a page as a browser would send them (the load test's people).

Read with the standard library's HTMLParser: a form is sent with the values
the page rendered (hidden fields, selected options), so the load test
follows the forms as they change. Used by the locust people and by the
driver, which signs everyone in through the login form before a run.
"""

from __future__ import annotations

from html.parser import HTMLParser


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
