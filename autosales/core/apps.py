from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "autosales.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from .history import history_manager_classes_cached

        history_manager_classes_cached()
