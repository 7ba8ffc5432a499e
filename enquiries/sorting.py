"""Server-side sorting of a list by a whitelisted `?sort=` column.

A page names its sortable columns; `?sort=due` sorts ascending and
`?sort=-due` descending. Anything else falls back to the default, so a
crafted parameter can never reach `order_by`. The column headers
(`{% sort_header sorting "due" label %}` in enquiry_tags) say which way the
list is sorted with `aria-sort` and link to the other direction.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import F, OrderBy
from django.db.models.expressions import Combinable
from django.http import QueryDict

Field = str | Combinable


class Sorting:
    def __init__(
        self,
        data: QueryDict,
        columns: dict[str, Sequence[Field]],
        *,
        default: str,
        descending_first: Sequence[str] = (),
        param: str = "sort",
    ):
        self.columns = columns
        self.param = param
        self.descending_first = set(descending_first)
        self.data = data
        wanted = data.get(param, "")
        self.current = wanted if wanted.lstrip("-") in columns else default

    @property
    def key(self) -> str:
        return self.current.lstrip("-")

    @property
    def descending(self) -> bool:
        return self.current.startswith("-")

    def order_by(self, *tail: Field) -> list[OrderBy | Field]:
        """The sort's ordering, then `tail` (e.g. "pk") for a stable order."""
        ordering: list[OrderBy | Field] = []
        for field in self.columns[self.key]:
            expression = F(field) if isinstance(field, str) else field
            ordering.append(
                expression.desc(nulls_last=True)
                if self.descending
                else expression.asc(nulls_last=True)
            )
        return [*ordering, *tail]

    def aria_sort(self, key: str) -> str | None:
        if key != self.key:
            return None
        return "descending" if self.descending else "ascending"

    def url(self, key: str) -> str:
        """The list sorted by `key`: the other way if it already is; page 1."""
        if key == self.key:
            target = key if self.descending else f"-{key}"
        else:
            target = f"-{key}" if key in self.descending_first else key
        query = self.data.copy()
        query.pop("page", None)
        query[self.param] = target
        return f"?{query.urlencode()}"

    def page_url(self, number: int) -> str:
        query = self.data.copy()
        query["page"] = str(number)
        return f"?{query.urlencode()}"
