"""The one way to write an HTML view: a permission-checked base and a form view.

Every page of every app derives from `PermissionView` (a test walks the URL
map to hold this). A page that takes a form and hands it to a service
derives from `ServiceFormView`: GET renders the form; POST validates it,
calls the service in one transaction, puts a refusal's ValidationError on
the form (field by field, the rest on top) and re-renders it with what was
typed, or redirects with a message.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views import View

from nemid_cases.versioning import VersionedFormMixin, save_edit


def add_service_errors(
    form: forms.BaseForm, error: ValidationError, *, field_map: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on `form`.

    Errors keyed by a field of the form go on that field (renamed through
    `field_map` where the service's name differs); errors keyed by
    anything else, or not keyed at all, go on top of the form.
    """
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = (field_map or {}).get(name, name)
        form.add_error(field if field in form.fields else None, errors)


def messages_from(request: HttpRequest, error: ValidationError) -> None:
    """Show a refusal without a form to put it on (a button) as messages."""
    for message in error.messages:
        messages.error(request, message)


class PermissionView(PermissionRequiredMixin, View):
    """A page that needs `permission_required`; a page anyone signed in may
    open says so with an empty tuple.

    A signed-in user without the permission gets 403, not a login loop.
    Combine with Django's generic views (`class X(PermissionView,
    ListView)`) where they fit.
    """

    raise_exception = True

    def has_permission(self) -> bool:
        # No permission asked, no user read: a public page (the status page)
        # must not touch the session, or it could not be cached.
        perms = self.get_permission_required()
        return not perms or self.request.user.has_perms(perms)


FormT = TypeVar("FormT", bound=forms.BaseForm)


class ServiceFormView(PermissionView, Generic[FormT]):
    """Form -> service -> errors on the form -> redirect with a message.

    A subclass names `form_class` and `template_name` and writes
    `perform(form)`, which calls the service and returns what it changed.
    An edit form of a versioned row (`VersionedFormMixin`) is saved as one
    edit of that row: a stale copy is shown as a conflict, nothing written.
    """

    form_class: type[FormT]
    template_name: str
    # Where the service names a field differently from the form.
    field_map: dict[str, str] = {}
    # The status of a form shown again with errors (some pages answer 400).
    invalid_status = 200

    def get_form_kwargs(self) -> dict[str, Any]:
        """Keyword arguments every copy of the form gets (user, instance...)."""
        return {}

    def get_initial(self) -> dict[str, Any]:
        return {}

    def get_form(self, data: Any = None, files: Any = None) -> FormT:
        kwargs = self.get_form_kwargs()
        if data is None:
            # Only when given: some forms fill their own initial values
            # from the row they edit when none are passed.
            if initial := self.get_initial():
                kwargs.setdefault("initial", initial)
        else:
            kwargs.update(data=data, files=files)
        return self.form_class(**kwargs)

    def get_context_data(self, form: FormT) -> dict[str, Any]:
        """The page's context; called with `form=`, like Django's views."""
        return {"form": form}

    def render_form(self, form: FormT, *, status: int = 200) -> HttpResponse:
        context = self.get_context_data(form=form)
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self.render_form(self.get_form())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            result = self.save(form)
            if result is not None and not form.errors:
                return self.form_saved(form, result)
        return self.form_refused(form)

    def perform(self, form: FormT) -> Any:
        """Call the service with the form's cleaned data; return what changed.

        None (or errors put on the form) means refused: the form is shown
        again and the transaction rolled back.
        """
        raise NotImplementedError

    def save(self, form: FormT) -> Any:
        """`perform()` in one transaction; a refusal ends up on the form."""
        try:
            with transaction.atomic():
                if isinstance(form, VersionedFormMixin) and form.edits_row:
                    return save_edit(form, form.versioned_row(), lambda: self.perform(form))
                result = self.perform(form)
                if form.errors:
                    transaction.set_rollback(True)
                return result
        except ValidationError as error:
            add_service_errors(form, error, field_map=self.field_map)
            return None

    def form_saved(self, form: FormT, result: Any) -> HttpResponse:
        message = self.success_message(result)
        if message:
            messages.success(self.request, message)
        return redirect(self.get_success_url(result))

    def form_refused(self, form: FormT) -> HttpResponse:
        return self.render_form(form, status=self.invalid_status)

    def success_message(self, result: Any) -> str:
        return ""

    def get_success_url(self, result: Any) -> str:
        return result.get_absolute_url()
