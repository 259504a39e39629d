from django.apps import AppConfig


class ContentConfig(AppConfig):
    name = "ecotone.content"
    label = "content"
    verbose_name = "Content"
