from django.apps import AppConfig


class KeysConfig(AppConfig):
    name = "tuntas.web.keys"
    label = "keys"
    verbose_name = "Kunci perlindungan data"
