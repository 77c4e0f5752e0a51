"""Importing persons: the generic import views bound to the person spec."""

from warmhome.core.imports import views as imports
from warmhome.people.importers import PERSON_IMPORT

URL_NAMES = {
    "start": "people:person_import",
    "template": "people:person_import_template",
    "batch": "people:person_import_batch",
    "commit": "people:person_import_commit",
    "cancel": "people:person_import_cancel",
    "revalidate": "people:person_import_revalidate",
    "errors": "people:person_import_errors",
    "list": "people:person_list",
}


class PersonImportView(imports.ImportStartView):
    spec_key = PERSON_IMPORT
    url_names = URL_NAMES
    template_name = "people/person_import.html"


class PersonImportTemplateView(imports.ImportTemplateView):
    spec_key = PERSON_IMPORT
    url_names = URL_NAMES


class PersonImportBatchView(imports.ImportBatchDetailView):
    spec_key = PERSON_IMPORT
    url_names = URL_NAMES


class PersonImportCommitView(imports.ImportBatchCommitView):
    spec_key = PERSON_IMPORT
    url_names = URL_NAMES


class PersonImportCancelView(imports.ImportBatchCancelView):
    spec_key = PERSON_IMPORT
    url_names = URL_NAMES


class PersonImportRevalidateView(imports.ImportBatchRevalidateView):
    spec_key = PERSON_IMPORT
    url_names = URL_NAMES


class PersonImportErrorsView(imports.ImportBatchErrorsView):
    spec_key = PERSON_IMPORT
    url_names = URL_NAMES
