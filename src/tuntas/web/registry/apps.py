from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "tuntas.web.registry"
    label = "registry"
    verbose_name = "Registri keluarga"
