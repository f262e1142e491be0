from django.apps import AppConfig


class SedeConfig(AppConfig):
    name = "concejo.sede"
    label = "sede"
    verbose_name = "Sede electrónica"

    def ready(self):
        from concejo.outbox.handlers import register as register_task
        from concejo.outbox.handlers import register_sweep
        from concejo.sede.edicts import edicts_certify, render_certificate
        from concejo.sede.services import OPEN_CASE, open_case_task
        from concejo.verification.renderers import register

        register("sede.edict_certificate", render_certificate)
        register_sweep("sede.edict_certificates", edicts_certify)
        register_task(OPEN_CASE, open_case_task)
