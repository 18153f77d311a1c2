from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "xxgk.letters"
    label = "letters"
    verbose_name = "文书"

    def ready(self) -> None:
        from xxgk.accounts.roles import Role
        from xxgk.workspace.registry import Section, register

        register(
            Section(
                key="letters",
                title="文书模板与文号",
                url_name="letters:overview",
                roles=(Role.ADMIN, Role.HANDLER, Role.LEADER),
                order=30,
                description="答复书、告知书模板，文号格式，救济途径设置",
            )
        )
