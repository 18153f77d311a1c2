from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "xxgk.ledger"
    label = "ledger"
    verbose_name = "台账"

    def ready(self) -> None:
        from xxgk.accounts.roles import Role
        from xxgk.workspace.registry import Section, register

        register(
            Section(
                key="ledger",
                title="依申请公开台账",
                url_name="ledger:home",
                roles=(
                    Role.REGISTRAR,
                    Role.HANDLER,
                    Role.REVIEWER,
                    Role.LEADER,
                    Role.ADMIN,
                    Role.SUPERVISOR,
                ),
                order=20,
                description="导出Excel台账（按年度或筛选），导入原有台账",
            )
        )
