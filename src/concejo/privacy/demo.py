"""The demo council's record of processing activities (its main activities, demo wording)."""

from __future__ import annotations

DPO_CONTACT = (
    "Delegado de Protección de Datos del Ayuntamiento (demo): dpd@demo.concejo.example, "
    "o por el Registro Electrónico General dirigiéndose al Delegado de Protección de Datos."
)
ENS_MEASURES = (
    "Las del Esquema Nacional de Seguridad (Real Decreto 311/2022) para sistemas de categoría "
    "media: acceso por roles y por unidad, doble factor para administradores y firmantes, "
    "registro de auditoría encadenado de las consultas de datos personales, cifrado en "
    "tránsito, copias de seguridad verificadas y restauración probada."
)
NO_TRANSFERS = "No están previstas transferencias internacionales de datos."
ARCHIVES = (
    "El necesario para cumplir la finalidad y resolver las reclamaciones que pudieran derivarse; "
    "después, lo que disponga la normativa de archivos y patrimonio documental."
)
CITIZENS = "Ciudadanos y empresas interesados, y sus representantes."
IDENTITY = (
    "Identificativos (nombre, apellidos, NIF/NIE), de contacto (dirección, correo, teléfono)."
)

ACTIVITIES = [
    {
        "code": "registro-general", "name": "Registro Electrónico General",
        "purposes": "Dejar constancia de la entrada y salida de documentos y remitirlos a la unidad competente.",
        "legal_bases": ["6.1.c", "6.1.e"],
        "legal_basis_detail": "Ley 39/2015, del Procedimiento Administrativo Común, artículo 16.",
        "data_subjects": CITIZENS, "data_categories": IDENTITY + " Contenido de la solicitud y sus anexos.",
        "recipients": "Unidades del Ayuntamiento y otras administraciones a las que se dirija el escrito (SIR).",
        "retention": "Los asientos registrales se conservan de forma permanente (Ley 39/2015, art. 16).",
    },
    {
        "code": "expedientes", "name": "Tramitación de expedientes y procedimientos administrativos",
        "purposes": "Tramitar y resolver los procedimientos del catálogo, iniciados a solicitud o de oficio.",
        "legal_bases": ["6.1.c", "6.1.e"],
        "legal_basis_detail": "Leyes 39/2015 y 40/2015; Ley 7/1985, Reguladora de las Bases del Régimen Local.",
        "data_subjects": CITIZENS, "data_categories": IDENTITY + " Los que exija cada procedimiento.",
        "recipients": "Otras administraciones cuando una ley lo prevea; juzgados y tribunales.",
        "retention": ARCHIVES,
    },
    {
        "code": "tributos", "name": "Gestión tributaria y recaudación",
        "purposes": "Gestionar, liquidar, inspeccionar y recaudar los tributos y demás ingresos de derecho público municipales.",
        "legal_bases": ["6.1.c", "6.1.e"],
        "legal_basis_detail": "Ley 58/2003, General Tributaria; texto refundido de la Ley Reguladora de las Haciendas Locales.",
        "data_subjects": "Obligados tributarios, responsables y sus representantes.",
        "data_categories": IDENTITY + " Datos económicos, bancarios, catastrales y de bienes.",
        "recipients": "Agencia Estatal de Administración Tributaria, Dirección General del Catastro, entidades colaboradoras en la recaudación.",
        "retention": "Durante el plazo de prescripción (Ley 58/2003, art. 66) y después lo que disponga la normativa de archivos.",
    },
    {
        "code": "policia-municipal", "name": "Policía Municipal",
        "purposes": "Atestados de tráfico, denuncias por infracciones de ordenanzas y de tráfico, y policía administrativa.",
        "legal_bases": ["6.1.c", "6.1.e"], "special_category_bases": ["9.2.g"],
        "legal_basis_detail": "Ley Orgánica 2/1986, de Fuerzas y Cuerpos de Seguridad; texto refundido de la Ley de Tráfico. Los tratamientos con fines penales se rigen por la Ley Orgánica 7/2021.",
        "data_subjects": "Personas implicadas en accidentes, denunciados, denunciantes y testigos.",
        "data_categories": IDENTITY + " Datos del vehículo y del permiso de conducción.",
        "special_categories": "Datos de salud de las personas heridas en accidentes.",
        "recipients": "Juzgados y tribunales, Ministerio Fiscal, Jefatura Provincial de Tráfico, compañías aseguradoras cuando una ley lo prevea.",
        "retention": ARCHIVES,
    },
    {
        "code": "recursos-humanos", "name": "Recursos humanos",
        "purposes": "Gestionar el personal: selección, nómina, seguridad social, formación, prevención de riesgos y acción social.",
        "legal_bases": ["6.1.b", "6.1.c"], "special_category_bases": ["9.2.b", "9.2.h"],
        "legal_basis_detail": "Texto refundido del Estatuto Básico del Empleado Público; Estatuto de los Trabajadores; Ley 31/1995, de Prevención de Riesgos Laborales.",
        "data_subjects": "Empleados públicos, candidatos en procesos selectivos y sus familiares beneficiarios.",
        "data_categories": IDENTITY + " Datos académicos, profesionales, económicos y bancarios.",
        "special_categories": "Salud (bajas, adaptación del puesto, vigilancia de la salud) y afiliación sindical.",
        "recipients": "Tesorería General de la Seguridad Social, Agencia Tributaria, mutualidades, entidades bancarias.",
        "retention": ARCHIVES,
    },
    {
        "code": "avisos-limpieza", "name": "Avisos de limpieza viaria",
        "purposes": "Atender los avisos de problemas de limpieza en la vía pública e informar de su estado a quien avisa.",
        "legal_bases": ["6.1.e"],
        "legal_basis_detail": "Ley 7/1985, Reguladora de las Bases del Régimen Local, artículos 25 y 26 (limpieza viaria).",
        "data_subjects": "Vecinos que avisan de un problema.",
        "data_categories": "Correo electrónico, ubicación del problema y fotografías que se aporten.",
        "recipients": "No se ceden datos a terceros; la empresa que presta el servicio actúa como encargada del tratamiento.",
        "retention": "Un año desde el cierre del aviso.",
    },
    {
        "code": "notificaciones", "name": "Notificaciones electrónicas y en papel",
        "purposes": "Practicar las notificaciones de los actos administrativos y dejar constancia de su acceso o rechazo.",
        "legal_bases": ["6.1.c"],
        "legal_basis_detail": "Ley 39/2015, artículos 40 a 46.",
        "data_subjects": CITIZENS, "data_categories": IDENTITY + " Fecha, hora y dirección IP del acceso.",
        "recipients": "Operador postal, Boletín Oficial del Estado (anuncios).",
        "retention": ARCHIVES,
    },
    {
        "code": "sede-identidad", "name": "Sede electrónica e identificación de los ciudadanos",
        "purposes": "Identificar a quien accede a la sede y a su carpeta ciudadana y atender sus solicitudes en línea.",
        "legal_bases": ["6.1.c", "6.1.e"],
        "legal_basis_detail": "Ley 39/2015, artículos 9 y 10; Real Decreto 203/2021.",
        "data_subjects": CITIZENS, "data_categories": IDENTITY + " Dirección IP y registros de acceso.",
        "recipients": "Proveedores de identidad (Cl@ve) en la verificación de la identidad.",
        "retention": "Los registros de acceso, dos años; el resto, como el expediente al que se refieran.",
    },
    {
        "code": "derechos-proteccion-datos", "name": "Atención del ejercicio de derechos en protección de datos",
        "purposes": "Atender las solicitudes de acceso, rectificación, supresión, limitación, oposición y portabilidad.",
        "legal_bases": ["6.1.c"],
        "legal_basis_detail": "Reglamento (UE) 2016/679, artículos 12 a 22; Ley Orgánica 3/2018, artículos 12 a 18.",
        "data_subjects": CITIZENS, "data_categories": IDENTITY,
        "recipients": "Agencia Española de Protección de Datos, en caso de reclamación.",
        "retention": ARCHIVES,
    },
]  # fmt: skip


# Demo retention rules (the real ones come from the archive's valuation board).
RETENTION = [
    {"document_type": "TD99", "years": 6, "action": "transfer",
     "legal_reference": "Regla de demostración: documentos varios, a los seis años al archivo."},
    {"procedure": "2045008", "years": 5, "action": "destroy",
     "legal_reference": "Regla de demostración: quejas y sugerencias, eliminación a los cinco años."},
]  # fmt: skip


def seed_privacy(council) -> None:
    """Create the activities and rules missing (by code); existing ones are left as they are."""
    from concejo.core.actors import Actor
    from concejo.privacy.models import ProcessingActivity, RetentionRule
    from concejo.privacy.services import processing_activity_create, retention_rule_save
    from concejo.procedures.models import Procedure

    for spec in RETENTION:
        spec = dict(spec)
        if "procedure" in spec:
            spec["procedure"] = Procedure.objects.filter(
                entity=council, sia_code=spec["procedure"]
            ).first()
            if spec["procedure"] is None:
                continue
        target = {k: spec[k] for k in ("document_type", "procedure") if k in spec}
        if not RetentionRule.objects.filter(entity=council, **target).exists():
            retention_rule_save(actor=Actor.system(), entity=council, **spec)

    existing = set(ProcessingActivity.objects.filter(entity=council).values_list("code", flat=True))
    controller = f"{council.name} (NIF {council.nif}), Plaza Mayor, 1, 47001 Valladolid."
    for spec in ACTIVITIES:
        if spec["code"] in existing:
            continue
        processing_activity_create(
            actor=Actor.system(), entity=council, controller=controller, dpo_contact=DPO_CONTACT,
            international_transfers=NO_TRANSFERS, security_measures=ENS_MEASURES, **spec,
        )  # fmt: skip
