from django.apps import AppConfig


class AuthzConfig(AppConfig):
    name = "ecotone.authz"
    label = "authz"
    verbose_name = "Permissions"
