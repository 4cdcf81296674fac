from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "tuntas.web.imports"
    label = "imports"
    verbose_name = "Impor data"
