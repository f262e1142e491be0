"""The scopes an API application may be granted."""

from django.utils.translation import gettext_lazy as _

SCOPES = {
    "organization:read": _("Consultar la organización"),
    "organization:write": _("Modificar la organización"),
    "people:read": _("Consultar interesados y apoderamientos"),
    "people:write": _("Dar de alta y modificar interesados y apoderamientos"),
    "audit:read": _("Consultar el registro de auditoría"),
    "registry:read": _("Consultar el registro electrónico"),
    "registry:write": _("Presentar asientos en el registro electrónico"),
    "procedures:write": _("Gestionar el catálogo de procedimientos"),
    "cases:read": _("Consultar expedientes"),
    "cases:write": _("Abrir y tramitar expedientes"),
    "documents:read": _("Consultar documentos"),
    "documents:write": _("Incorporar documentos"),
    "signatures:read": _("Consultar peticiones de firma"),
    "signatures:write": _("Pedir firmas, firmar y rechazar"),
    "notifications:read": _("Consultar notificaciones y sus pruebas"),
    "notifications:write": _("Emitir notificaciones y anotar entregas en papel"),
    "open311:write": _("Enviar avisos de la vía pública (Open311)"),
    "revenue:read": _("Consultar objetos tributarios, recibos y pagos"),
    "revenue:write": _("Dar de alta objetos tributarios y registrar cobros"),
}
