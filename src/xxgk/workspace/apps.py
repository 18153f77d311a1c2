from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "xxgk.workspace"
    verbose_name = "工作台"
