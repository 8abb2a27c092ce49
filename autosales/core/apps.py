from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "autosales.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .history import history_manager_classes_cached
        from .middleware import session_renewed_at_login

        history_manager_classes_cached()
        user_logged_in.connect(session_renewed_at_login, dispatch_uid="autosales-session-renewed-at-login")
