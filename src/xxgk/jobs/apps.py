from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "xxgk.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules
        from django_tasks.signals import log_task_finished, task_finished

        from xxgk.jobs import checks  # noqa: F401  (registers the system checks)

        # django-tasks logs a failed task with logger.exception, i.e. with the exception's
        # message, which may quote an applicant's personal data (never logged). The runner
        # logs the task's id, path and exception class instead; the full traceback stays
        # in the task's row, readable by administrators only.
        task_finished.disconnect(log_task_finished)

        # Every app's ``tasks`` module declares its tasks and daily jobs; import them all so
        # the daily-job registry is complete in every process (web, worker, checks).
        autodiscover_modules("tasks")
