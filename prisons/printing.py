"""The print style sheets of the PDF documents (WeasyPrint).

A document's rules live in `static/css/print/`, not in a `<style>` element of its template: the
same strict Content-Security-Policy holds for every template, and no PDF fetches its style over
HTTP from the server that is busy answering. Kept in `prisons`, the lowest app every PDF view
can import.
"""

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage


def print_stylesheets(*names):
    """WeasyPrint style sheets for `static/css/print/<name>.css`, read from the disk."""
    from weasyprint import CSS

    sheets = []
    for name in names:
        path = f"css/print/{name}.css"
        found = finders.find(path) or staticfiles_storage.path(path)
        sheets.append(CSS(filename=found))
    return sheets
