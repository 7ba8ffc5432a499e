from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        from accounts.roles import sync_role_permissions

        # Permissions exist only once every app has had its post_migrate, so
        # the roles' grants are brought up to date after the last app's. Only
        # apps with a models module get the signal.
        last_app = [app for app in apps.get_app_configs() if app.models_module][-1]
        post_migrate.connect(sync_role_permissions, sender=last_app)
        from accounts import access

        access.connect(self.get_model("User"), last_app)
