"""The form controls a page renders, as comparable tuples.

Used to prove that a page renders the same controls before and after
something else ran in the same process (fault: the API schema turned the
enquiry list's checkboxes into bare text). Values are left out, so a fresh
CSRF token or a changed count does not count as a difference.
"""

from html.parser import HTMLParser

Control = tuple[str, ...]


class _ControlParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.controls: list[Control] = []
        self._select: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name") or ""
        if tag == "input":
            self.controls.append(("input", name, (attrs.get("type") or "text").lower()))
        elif tag == "textarea":
            self.controls.append(("textarea", name))
        elif tag == "select":
            self._select = ["select", name, "multiple" if "multiple" in attrs else "single", 0]
        elif tag == "option" and self._select is not None:
            self._select[3] += 1
        elif tag == "option":
            # An <option> outside any <select> shows as bare text.
            self.controls.append(("stray option", name))

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            kind, name, multiple, options = self._select
            self.controls.append((kind, name, multiple, str(options)))
            self._select = None


def form_controls(html: str) -> list[Control]:
    """(tag, name, type or multiple, option count) of every control, in order."""
    parser = _ControlParser()
    parser.feed(html)
    parser.close()
    return parser.controls
