from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "concejo.documents"
    label = "documents"
    verbose_name = "Documentos electrónicos"

    def ready(self):
        from concejo.documents.services import render_issued_document
        from concejo.verification.renderers import register

        register("documents.copy", render_issued_document)
        register("documents.generated", render_issued_document)
        register("documents.signed", render_issued_document)
