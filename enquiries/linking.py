"""Linking many enquiries to one thing (a known problem, an incident).

The shared mechanism: one INSERT ... SELECT of link rows whatever the
number of enquiries, the bulk-link page that links the filtered enquiry
list, and the API body that names enquiries by id or by the list's
filters. The apps above (problems, notices) own their link models and
call these with them.
"""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import connection, models
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from rest_framework import serializers

from enquiries.filtersets import EnquiryFilterSet
from enquiries.forms import filter_query
from enquiries.models import Enquiry
from nemid_cases import api
from nemid_cases.views import PermissionView, messages_from


def subquery_sql(queryset: QuerySet) -> tuple[str, tuple]:
    """The SELECT of a `values("pk")` QuerySet, to embed as a subquery."""
    query = queryset.order_by().values("pk").query
    return query.get_compiler(using=queryset.db).as_sql()


def insert_links(
    link_model: type[models.Model],
    *,
    owner: str,
    owner_id: int,
    enquiries: QuerySet[Enquiry],
    by,
    now: datetime.datetime | None = None,
) -> int:
    """Insert a `link_model` row (owner, enquiry, linked_by, linked_at) for
    each enquiry not yet linked to `owner_id`; returns how many were new.

    One statement; the caller holds the owner's lock and checks the rights.
    """
    select, params = subquery_sql(enquiries)
    link = link_model._meta.db_table
    enquiry = Enquiry._meta.db_table
    column = link_model._meta.get_field(owner).column
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {link} ({column}, enquiry_id, linked_by_id, linked_at) "  # noqa: S608 (names from _meta)
            f"SELECT %s, e.id, %s, %s FROM {enquiry} e WHERE e.id IN ({select}) "
            f"AND NOT EXISTS (SELECT 1 FROM {link} l "
            f"WHERE l.{column} = %s AND l.enquiry_id = e.id)",
            [owner_id, by.pk if by else None, now or timezone.now(), *params, owner_id],
        )
        return cursor.rowcount


class FilteredBulkLinkView(PermissionView):
    """Link every enquiry matching the list's filters (the query string) to
    the target chosen in `form_class` (field `target_field`).

    A subclass names the form, the service (`link`) and where to go after.
    """

    form_class: type[forms.Form]
    target_field: str
    form_prefix: str | None = None

    def link(self, target, enquiries: QuerySet[Enquiry]) -> int:
        raise NotImplementedError

    def done_url(self, target) -> str:
        raise NotImplementedError

    def post(self, request: HttpRequest) -> HttpResponse:
        query = filter_query(request.GET)
        back = reverse("enquiries:list") + (f"?{query}" if query else "")
        form = self.form_class(request.POST, prefix=self.form_prefix)
        filterset = EnquiryFilterSet(
            request.GET, queryset=Enquiry.objects.visible_to(request.user), request=request
        )
        if not query:
            messages.error(request, _("Filter the list before linking it in bulk."))
            return redirect(back)
        if not form.is_valid() or not filterset.is_valid():
            messages.error(request, self.invalid_message())
            return redirect(back)
        target = form.cleaned_data[self.target_field]
        try:
            count = self.link(target, filterset.qs)
        except ValidationError as error:
            messages_from(request, error)
            return redirect(back)
        messages.success(
            request,
            ngettext("%(count)d enquiry linked.", "%(count)d enquiries linked.", count)
            % {"count": count},
        )
        return redirect(self.done_url(target))

    def invalid_message(self) -> str:
        return _("Choose an open known problem and valid filters.")


class EnquirySelectionSerializer(api.Serializer):
    """Enquiries named by id, or by the filters of GET /api/v1/enquiries/."""

    # The keys of which exactly one must be given.
    SOURCES: tuple[str, ...] = ("enquiries", "filter")

    enquiries = serializers.ListField(
        child=api.WholeNumberField(min_value=1, max_value=2**63 - 1),
        required=False,
        max_length=10000,
        help_text=gettext_lazy("Enquiry ids."),
    )
    filter = serializers.DictField(
        required=False,
        help_text=gettext_lazy(
            'The filters of GET /api/v1/enquiries/ (e.g. {"category": 12, "is_open": '
            "true}): every matching enquiry you may see."
        ),
    )

    def validate(self, attrs):
        given = [key for key in self.SOURCES if attrs.get(key) not in (None, False)]
        if len(given) != 1:
            raise serializers.ValidationError({self.SOURCES[0]: [self.either_message()]})
        if "filter" in attrs and not attrs["filter"]:
            raise serializers.ValidationError({"filter": [_("Give at least one filter.")]})
        return attrs

    def either_message(self) -> str:
        return _("Give either enquiry ids or a filter.")


def chosen_enquiries(request, data: dict) -> QuerySet[Enquiry]:
    """The enquiries a validated EnquirySelectionSerializer names, of those
    the user may see."""
    visible = Enquiry.objects.visible_to(request.user)
    if "enquiries" in data:
        return visible.filter(pk__in=data["enquiries"])
    query = QueryDict(mutable=True)
    for key, value in data["filter"].items():
        values = value if isinstance(value, list) else [value]
        query.setlist(key, [str(v).lower() if isinstance(v, bool) else str(v) for v in values])
    filterset = EnquiryFilterSet(query, queryset=visible, request=request)
    if not filterset.is_valid():
        raise serializers.ValidationError({"filter": filterset.errors})
    return filterset.qs
