from django.apps import AppConfig


class EnterprisesConfig(AppConfig):
    name = "tuntas.web.enterprises"
    label = "enterprises"
    verbose_name = "Usaha, koperasi dan BUMDes"
