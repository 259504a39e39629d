from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "ecotone.kernel"
    label = "kernel"
    verbose_name = "Kernel"
