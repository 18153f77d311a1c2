from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "xxgk.letters"
    label = "letters"
    verbose_name = "文书"
