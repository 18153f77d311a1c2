from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "xxgk.agencies"
    verbose_name = "机关"
