from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "xxgk.accounts"
    verbose_name = "用户与角色"

    def ready(self) -> None:
        from xxgk.accounts import signals  # noqa: F401  (login/logout audit)
