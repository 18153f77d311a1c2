from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "xxgk.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        from xxgk.jobs import checks  # noqa: F401  (registers the system checks)

        # Every app's ``tasks`` module declares its tasks and daily jobs; import them all so
        # the daily-job registry is complete in every process (web, worker, checks).
        autodiscover_modules("tasks")
