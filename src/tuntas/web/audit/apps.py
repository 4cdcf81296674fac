from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "tuntas.web.audit"
    label = "audit"
    verbose_name = "Jejak audit"
