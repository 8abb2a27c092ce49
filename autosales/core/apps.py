from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "autosales.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate

        from .history import history_manager_classes_cached
        from .middleware import session_renewed_at_login
        from .sqlite_backend.base import statistics_after_migrate

        history_manager_classes_cached()
        user_logged_in.connect(session_renewed_at_login, dispatch_uid="autosales-session-renewed-at-login")
        post_migrate.connect(
            statistics_after_migrate, sender=self, dispatch_uid="autosales-statistics-after-migrate"
        )
