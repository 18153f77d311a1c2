from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "xxgk.api"
    verbose_name = "REST API"
