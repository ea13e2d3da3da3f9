"""Form pages: the one page a record form is shown on, and service errors put on the form."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.shortcuts import render
from django.utils.translation import gettext as _


def add_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError onto the form: under its field when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            form.add_error(target, errors)
    else:
        form.add_error(None, error.messages)


def call_service(form, call):
    """Run a service call; on ValidationError put its messages on the form and return None."""
    try:
        return call()
    except ValidationError as error:
        add_service_errors(form, error)
        return None


def form_page(request, *, title, forms, inmate, custody=None, submit=None, intro="", cancel_url=None):
    """The one page every data-entry form about a person uses: who it is about, the forms, cancel
    (back to the person's file unless `cancel_url` says otherwise)."""
    return render(request, "includes/form_page.html", {
        "title": title, "forms": forms, "inmate": inmate, "custody": custody,
        "submit": submit or _("Enregistrer"), "intro": intro, "cancel_url": cancel_url or inmate.get_absolute_url(),
    })


def record_form_page(request, *, title, form, custody=None, facility=None, cancel_url, submit=None, intro="",
                     warnings=(), extra=None):
    """A one-form page about a custody or a facility: who or where, the form, cancel."""
    context = {"title": title, "form": form, "custody": custody, "inmate": custody.inmate if custody else None,
               "facility": facility or (custody.facility if custody else None), "cancel_url": cancel_url,
               "submit": submit or _("Enregistrer"), "intro": intro, "warnings": list(warnings)}
    context.update(extra or {})
    return render(request, "includes/record_form.html", context)
