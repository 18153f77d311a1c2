from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "xxgk.audit"
    verbose_name = "审计日志"
