"""The routes of one roster's import, bound to its spec: a module's ``urls.py`` adds
``*import_urlpatterns(...)`` and writes no views of its own."""

from django.urls import URLPattern, path

from warmhome.core.imports import views

#: step -> (route below the roster's prefix, view, URL-name suffix)
_STEPS = (
    ("start", "import/", views.ImportStartView, "import"),
    ("template", "import/template/", views.ImportTemplateView, "import_template"),
    ("batch", "import/<int:pk>/", views.ImportBatchDetailView, "import_batch"),
    ("commit", "import/<int:pk>/commit/", views.ImportBatchCommitView, "import_commit"),
    ("cancel", "import/<int:pk>/cancel/", views.ImportBatchCancelView, "import_cancel"),
    (
        "revalidate",
        "import/<int:pk>/revalidate/",
        views.ImportBatchRevalidateView,
        "import_revalidate",
    ),
    ("errors", "import/<int:pk>/errors.xlsx", views.ImportBatchErrorsView, "import_errors"),
)


def import_urlpatterns(
    *, spec_key: str, app_name: str, model_name: str, list_url_name: str, start_template: str
) -> list[URLPattern]:
    """URL names read ``<app>:<model>_import``, ``<app>:<model>_import_batch`` and so on."""
    url_names = {step: f"{app_name}:{model_name}_{suffix}" for step, _, _, suffix in _STEPS}
    url_names["list"] = list_url_name
    patterns = []
    for step, route, view, suffix in _STEPS:
        initkwargs: dict[str, object] = {"spec_key": spec_key, "url_names": url_names}
        if step == "start":
            initkwargs["template_name"] = start_template
        patterns.append(path(route, view.as_view(**initkwargs), name=f"{model_name}_{suffix}"))
    return patterns
