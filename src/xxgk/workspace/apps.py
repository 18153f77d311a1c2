from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "xxgk.workspace"
    verbose_name = "工作台"

    def ready(self) -> None:
        from xxgk.accounts.roles import Role
        from xxgk.workspace.registry import Section, register

        everyone = tuple(Role.values)
        register(
            Section(
                key="agency",
                title="机关信息",
                url_name="workspace:agency",
                roles=everyone,
                order=900,
                description="政府信息公开工作机构的地址、时间、电话和申请渠道",
            )
        )
        register(
            Section(
                key="staff",
                title="工作人员",
                url_name="workspace:staff",
                roles=everyone,
                order=910,
                description="本机关的用户和角色",
            )
        )
        register(
            Section(
                key="audit",
                title="审计日志",
                url_name="workspace:audit",
                roles=(Role.ADMIN,),
                order=920,
                description="登录、修改和查看个人信息的记录",
            )
        )
