from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "xxgk.security"
    verbose_name = "安全"

    def ready(self) -> None:
        from xxgk.security import checks  # noqa: F401  (registers xxgk.W101–W104)
