from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "xxgk.portal"
    verbose_name = "门户"
