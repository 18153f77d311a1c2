from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "xxgk.applications"
    label = "applications"
    verbose_name = "依申请公开"

    def ready(self) -> None:
        from xxgk.accounts.roles import Role
        from xxgk.workspace.registry import Section, register

        def overdue_badge(user: object, agency: object) -> int | None:
            from xxgk.applications.models import Application

            n = Application.objects.overdue(agency=agency).count()
            return n or None

        register(
            Section(
                key="applications",
                title="依申请公开",
                url_name="applications:list",
                roles=(
                    Role.REGISTRAR,
                    Role.HANDLER,
                    Role.REVIEWER,
                    Role.LEADER,
                    Role.ADMIN,
                    Role.SUPERVISOR,
                ),
                order=10,
                description="登记政府信息公开申请、查看各案期限（数字为已逾期件数）",
                badge=overdue_badge,
            )
        )
