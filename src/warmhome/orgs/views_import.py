"""Importing organisation units: the generic import views bound to the org spec."""

from warmhome.core.imports import views as imports
from warmhome.orgs.importers import ORGUNIT_IMPORT

URL_NAMES = {
    "start": "orgs:orgunit_import",
    "template": "orgs:orgunit_import_template",
    "batch": "orgs:orgunit_import_batch",
    "commit": "orgs:orgunit_import_commit",
    "cancel": "orgs:orgunit_import_cancel",
    "revalidate": "orgs:orgunit_import_revalidate",
    "errors": "orgs:orgunit_import_errors",
    "list": "orgs:orgunit_list",
}


class OrgUnitImportView(imports.ImportStartView):
    spec_key = ORGUNIT_IMPORT
    url_names = URL_NAMES
    template_name = "orgs/orgunit_import.html"


class OrgUnitImportTemplateView(imports.ImportTemplateView):
    spec_key = ORGUNIT_IMPORT
    url_names = URL_NAMES


class OrgUnitImportBatchView(imports.ImportBatchDetailView):
    spec_key = ORGUNIT_IMPORT
    url_names = URL_NAMES


class OrgUnitImportCommitView(imports.ImportBatchCommitView):
    spec_key = ORGUNIT_IMPORT
    url_names = URL_NAMES


class OrgUnitImportCancelView(imports.ImportBatchCancelView):
    spec_key = ORGUNIT_IMPORT
    url_names = URL_NAMES


class OrgUnitImportRevalidateView(imports.ImportBatchRevalidateView):
    spec_key = ORGUNIT_IMPORT
    url_names = URL_NAMES


class OrgUnitImportErrorsView(imports.ImportBatchErrorsView):
    spec_key = ORGUNIT_IMPORT
    url_names = URL_NAMES
