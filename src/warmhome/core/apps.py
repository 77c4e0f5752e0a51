from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "warmhome.core"
    label = "core"
    verbose_name = _("共享内核")

    def ready(self) -> None:
        from warmhome.core import lookups  # noqa: F401  (registers the integer ``in`` lookup)
        from warmhome.core.audit import signals  # noqa: F401  (connects the audit receivers)
        from warmhome.core.workflows import todo  # noqa: F401  (registers "due soon / overdue")
