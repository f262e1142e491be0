"""Demo local holidays and the Valladolid procedure catalog.

SIA codes here are made up for the demo (the SIA code is opaque to Concejo).
Silence effects and maximum times follow the rule that governs each procedure.
"""

import datetime as dt

from concejo.privacy.models import SUBJECT_REQUEST_PROCEDURE

# Valladolid's local holidays: San Pedro Regalado (13 May) and Nuestra Señora
# de San Lorenzo (8 September). The council sets them every year; the demo
# loads them for a range of years so that deadlines can be computed.
LOCAL_HOLIDAY_YEARS = range(2019, 2033)
VALLADOLID_HOLIDAYS = [((5, 13), "San Pedro Regalado"), ((9, 8), "Nuestra Señora de San Lorenzo")]


def valladolid_holidays(year: int) -> list[tuple[dt.date, str]]:
    return [(dt.date(year, m, d), name) for (m, d), name in VALLADOLID_HOLIDAYS]


PDF_IMG = ["pdf", "jpg", "png"]

GENERAL_FORM = {
    "type": "object",
    "title": "Instancia general",
    "required": ["expone", "solicita"],
    "properties": {
        "expone": {"type": "string", "title": "Expone", "minLength": 10, "maxLength": 10000},
        "solicita": {"type": "string", "title": "Solicita", "minLength": 5, "maxLength": 5000},
    },
}

GENERAL = {
    "sia_code": "INSTANCIA-GENERAL",
    "name": "Instancia general",
    "summary": "Cualquier solicitud, escrito o comunicación que no tenga un procedimiento específico.",
    "description": (
        "Utilice la instancia general para dirigir a la entidad cualquier solicitud, escrito o "
        "comunicación para la que no exista un procedimiento específico en este catálogo. "
        "Exponga los hechos, indique qué solicita y adjunte la documentación que lo justifique."
    ),
    "category": "General",
    "unit": None,  # the entity's first area
    "initiation": "on_request",
    "max_resolution_amount": 3,
    "max_resolution_unit": "months",
    "silence_effect": "approval",
    "legal_basis": "Ley 39/2015, de 1 de octubre, arts. 16, 21, 24 y 66.",
    "audience": ["citizens", "companies"],
    "form_schema": GENERAL_FORM,
    "required_documents": [
        {"name": "Documentación que justifique la solicitud", "mandatory": False, "accepted_formats": PDF_IMG},
    ],
}  # fmt: skip

DATA_RIGHTS = {
    "sia_code": SUBJECT_REQUEST_PROCEDURE,
    "name": "Ejercicio de derechos en materia de protección de datos",
    "summary": "Acceso, rectificación, supresión, limitación, portabilidad u oposición al tratamiento de sus datos.",
    "description": (
        "Solicite conocer qué datos personales suyos trata la entidad, que se corrijan o se "
        "supriman, que se limite su tratamiento, recibirlos en un formato estructurado u "
        "oponerse a su tratamiento. Se responde en un mes, prorrogable dos meses más si la "
        "solicitud es compleja o hay muchas; si no está conforme puede reclamar ante la "
        "Agencia Española de Protección de Datos."
    ),
    "category": "Protección de datos",
    "unit": None,  # the entity's first area
    "initiation": "on_request",
    "max_resolution_amount": 1,
    "max_resolution_unit": "months",
    "silence_effect": "none",
    "legal_basis": "Reglamento (UE) 2016/679, arts. 12 a 22; Ley Orgánica 3/2018, arts. 12 a 18.",
    "audience": ["citizens", "companies"],
    "form_schema": {
        "type": "object", "title": "Ejercicio de derechos", "required": ["derecho", "detalle"],
        "properties": {
            "derecho": {"title": "Derecho que ejerce", "enum": [
                "Acceso", "Rectificación", "Supresión", "Limitación del tratamiento",
                "Portabilidad", "Oposición"]},
            "detalle": {"type": "string", "title": "Qué datos o tratamiento y qué pide",
                        "minLength": 10, "maxLength": 5000},
        },
    },
    "required_documents": [
        {"name": "Documentación que justifique la rectificación", "mandatory": False, "accepted_formats": PDF_IMG},
    ],
}  # fmt: skip

VALLADOLID = [
    {
        "sia_code": "2045001", "name": "Licencia de obra menor",
        "summary": "Obras de reforma sin afectar a la estructura: cocinas, baños, fachadas, cubiertas.",
        "description": (
            "Autorización para obras de escasa entidad técnica que no afectan a la estructura, "
            "la distribución ni el uso del edificio. Algunas obras menores se tramitan por "
            "declaración responsable; consulte la ordenanza antes de solicitar la licencia."
        ),
        "category": "Urbanismo y vivienda", "unit": "LA0007031",
        "max_resolution_amount": 3, "max_resolution_unit": "months", "silence_effect": "approval",
        "legal_basis": "Ley 5/1999, de Urbanismo de Castilla y León, arts. 97-99; Reglamento de Urbanismo de Castilla y León, art. 296.",
        "fees": [{"concept": "Tasa por licencia urbanística (mínimo)", "amount": "60.00"},
                 {"concept": "ICIO: 4 % del presupuesto de ejecución material", "amount": "0.00"}],
        "audience": ["citizens", "companies"],
        "form_schema": {"type": "object", "required": ["emplazamiento", "descripcion_obra", "presupuesto"],
                        "properties": {"emplazamiento": {"type": "string", "title": "Emplazamiento de la obra"},
                                       "referencia_catastral": {"type": "string", "pattern": "^[0-9A-Z]{20}$"},
                                       "descripcion_obra": {"type": "string", "title": "Descripción de la obra"},
                                       "presupuesto": {"type": "number", "minimum": 0, "title": "Presupuesto (€)"}}},
        "required_documents": [
            {"name": "Presupuesto detallado de la obra", "mandatory": True, "accepted_formats": ["pdf"]},
            {"name": "Plano o croquis de situación", "mandatory": True, "accepted_formats": ["pdf", "jpg", "png", "dwg"]},
            {"name": "Fotografías del estado actual", "mandatory": False, "accepted_formats": ["jpg", "png"]},
        ],
    },
    {
        "sia_code": "2045002", "name": "Ocupación de la vía pública con contenedores, andamios o terrazas",
        "summary": "Autorización para ocupar temporalmente la vía pública.",
        "description": (
            "Autorización para ocupar temporalmente el dominio público con contenedores de obra, "
            "andamios, vallas o mesas y sillas de terraza, con indicación de superficie y plazo."
        ),
        "category": "Movilidad y vía pública", "unit": "LA0007042",
        "max_resolution_amount": 1, "max_resolution_unit": "months", "silence_effect": "refusal",
        "legal_basis": "Ley 39/2015, art. 24.1 (silencio negativo en el dominio público); Ordenanza municipal de ocupación de la vía pública.",
        "fees": [{"concept": "Tasa por ocupación de la vía pública (por m² y día)", "amount": "0.45"}],
        "audience": ["citizens", "companies"],
        "form_schema": {"type": "object", "required": ["ubicacion", "superficie_m2", "fecha_inicio", "fecha_fin"],
                        "properties": {"ubicacion": {"type": "string"}, "superficie_m2": {"type": "number", "exclusiveMinimum": 0},
                                       "fecha_inicio": {"type": "string", "format": "date"}, "fecha_fin": {"type": "string", "format": "date"},
                                       "elemento": {"enum": ["contenedor", "andamio", "vallado", "terraza"]}}},
        "required_documents": [{"name": "Plano de la ocupación", "mandatory": True, "accepted_formats": ["pdf", "jpg", "png"]}],
    },
    {
        "sia_code": "2045003", "name": "Tarjeta de estacionamiento para residentes (ORA)",
        "summary": "Distintivo para aparcar en la zona ORA de su barrio.",
        "description": "Tarjeta que permite a los residentes estacionar en las plazas reguladas de su zona.",
        "category": "Movilidad y vía pública", "unit": "LA0007041",
        "max_resolution_amount": 1, "max_resolution_unit": "months", "silence_effect": "approval",
        "legal_basis": "Ordenanza municipal de tráfico, movilidad y seguridad vial; Ley 39/2015, art. 24.",
        "fees": [{"concept": "Tasa anual de la tarjeta de residente", "amount": "25.00"}],
        "audience": ["citizens"],
        "form_schema": {"type": "object", "required": ["matricula"],
                        "properties": {"matricula": {"type": "string", "pattern": "^[0-9]{4}[B-DF-HJ-NP-TV-Z]{3}$"}}},
        "required_documents": [{"name": "Permiso de circulación del vehículo", "mandatory": True, "accepted_formats": PDF_IMG}],
    },
    {
        "sia_code": "2045004", "name": "Bonificación del IBI para familias numerosas",
        "summary": "Bonificación en la cuota del IBI de la vivienda habitual de familias numerosas.",
        "description": (
            "Bonificación en la cuota íntegra del Impuesto sobre Bienes Inmuebles de la vivienda "
            "habitual para titulares de familia numerosa, en el porcentaje que fije la ordenanza "
            "fiscal según la categoría y el valor catastral."
        ),
        "category": "Tributos", "unit": "LA0007022", "electronic_only": False,
        "max_resolution_amount": 6, "max_resolution_unit": "months", "silence_effect": "refusal",
        "legal_basis": "Real Decreto Legislativo 2/2004, art. 74.4; Ley 58/2003 General Tributaria, art. 104; Ordenanza fiscal del IBI.",
        "audience": ["citizens"],
        "form_schema": {"type": "object", "required": ["referencia_catastral", "titulo_familia_numerosa"],
                        "properties": {"referencia_catastral": {"type": "string", "pattern": "^[0-9A-Z]{20}$"},
                                       "titulo_familia_numerosa": {"type": "string"},
                                       "categoria": {"enum": ["general", "especial"]}}},
        "required_documents": [{"name": "Título de familia numerosa en vigor", "mandatory": True, "accepted_formats": ["pdf"]}],
    },
    {
        "sia_code": "2045005", "name": "Reclamación de responsabilidad patrimonial",
        "summary": "Indemnización por daños causados por el funcionamiento de los servicios municipales.",
        "description": (
            "Solicitud de indemnización por lesiones o daños en bienes o derechos causados por el "
            "funcionamiento normal o anormal de los servicios públicos municipales (caídas en la vía "
            "pública, daños a vehículos...). El derecho a reclamar prescribe al año del hecho."
        ),
        "category": "Responsabilidad patrimonial", "unit": "LA0007010",
        "max_resolution_amount": 6, "max_resolution_unit": "months", "silence_effect": "refusal",
        "legal_basis": "Ley 40/2015, arts. 32-37; Ley 39/2015, arts. 67, 81, 91 y 92.",
        "audience": ["citizens", "companies"],
        "form_schema": {"type": "object", "required": ["fecha_hecho", "lugar", "descripcion", "cuantia"],
                        "properties": {"fecha_hecho": {"type": "string", "format": "date"}, "lugar": {"type": "string"},
                                       "descripcion": {"type": "string"}, "cuantia": {"type": "number", "minimum": 0}}},
        "required_documents": [
            {"name": "Justificación de los daños (facturas, informes médicos)", "mandatory": True, "accepted_formats": PDF_IMG},
            {"name": "Fotografías del lugar", "mandatory": False, "accepted_formats": ["jpg", "png"]},
        ],
    },
    {
        "sia_code": "2045006", "name": "Solicitud de acceso a información pública",
        "summary": "Derecho de acceso a la información en poder del Ayuntamiento.",
        "description": (
            "Cualquier persona puede solicitar información pública sin necesidad de motivar la "
            "solicitud. Se resuelve en un mes, ampliable otro mes si el volumen o la complejidad "
            "lo exigen; contra la resolución cabe reclamación ante el Comisionado de Transparencia."
        ),
        "category": "Transparencia", "unit": "LA0007010",
        "max_resolution_amount": 1, "max_resolution_unit": "months", "silence_effect": "refusal",
        "legal_basis": "Ley 19/2013, de transparencia, arts. 17-22; Ley 3/2015 de Transparencia y Participación Ciudadana de Castilla y León.",
        "audience": ["citizens", "companies"],
        "form_schema": {"type": "object", "required": ["informacion_solicitada"],
                        "properties": {"informacion_solicitada": {"type": "string", "minLength": 10},
                                       "formato_preferido": {"enum": ["electronico", "papel"]}}},
    },
    {
        "sia_code": "2045007", "name": "Alta en el Padrón municipal de habitantes (empadronamiento)",
        "summary": "Inscripción en el Padrón por cambio de residencia a Valladolid o dentro de la ciudad.",
        "description": "Inscripción en el Padrón municipal de quien fija su residencia habitual en Valladolid.",
        "category": "Padrón", "unit": "LA0007010",
        "max_resolution_amount": 3, "max_resolution_unit": "months", "silence_effect": "approval",
        "legal_basis": "Ley 7/1985, de Bases del Régimen Local, arts. 15-18; Reglamento de Población y Demarcación Territorial (RD 1690/1986).",
        "audience": ["citizens"],
        "form_schema": {"type": "object", "required": ["domicilio", "personas"],
                        "properties": {"domicilio": {"type": "string"},
                                       "personas": {"type": "integer", "minimum": 1, "maximum": 20}}},
        "required_documents": [
            {"name": "Título que acredite el uso de la vivienda (escritura, contrato de alquiler)", "mandatory": True, "accepted_formats": ["pdf"]},
            {"name": "Documento de identidad de las personas que se empadronan", "mandatory": True, "accepted_formats": PDF_IMG},
        ],
    },
    {
        "sia_code": "2045008", "name": "Quejas y sugerencias",
        "summary": "Comunique una queja o una sugerencia sobre los servicios municipales.",
        "description": (
            "Las quejas y sugerencias no son recursos ni inician un procedimiento administrativo: "
            "no interrumpen plazos ni producen silencio. Se contestan en el plazo indicado."
        ),
        "category": "Participación", "unit": "LA0007026",
        "max_resolution_amount": 20, "max_resolution_unit": "business_days", "silence_effect": "none",
        "legal_basis": "Reglamento municipal de quejas y sugerencias.",
        "audience": ["citizens", "companies"],
        "form_schema": {"type": "object", "required": ["tipo", "texto"],
                        "properties": {"tipo": {"enum": ["queja", "sugerencia", "felicitacion"]},
                                       "texto": {"type": "string", "minLength": 10}}},
    },
    {
        "sia_code": "2045009", "name": "Licencia de vado permanente (paso de vehículos)",
        "summary": "Reserva de la vía pública para la entrada y salida de vehículos a un inmueble.",
        "description": "Autorización de paso de vehículos a través de la acera con reserva de espacio.",
        "category": "Movilidad y vía pública", "unit": "LA0007041",
        "max_resolution_amount": 3, "max_resolution_unit": "months", "silence_effect": "refusal",
        "legal_basis": "Ley 39/2015, art. 24.1 (dominio público); Ordenanza fiscal de la tasa por entradas de vehículos.",
        "fees": [{"concept": "Tasa anual por entrada de vehículos (metro lineal)", "amount": "35.00"}],
        "audience": ["citizens", "companies"],
        "form_schema": {"type": "object", "required": ["direccion", "metros_lineales"],
                        "properties": {"direccion": {"type": "string"}, "metros_lineales": {"type": "number", "exclusiveMinimum": 0}}},
        "required_documents": [{"name": "Licencia de primera ocupación o de actividad del garaje", "mandatory": True, "accepted_formats": ["pdf"]}],
    },
]  # fmt: skip

# Model documents every entity gets (Django template syntax; blank lines split paragraphs).
TEMPLATES = [
    {
        "name": "Requerimiento de subsanación",
        "document_type": "TD06",
        "title": "Requerimiento de subsanación · expediente {{ case.case_code }}",
        "body": (
            "{{ applicant.display_name }}, con documento {{ applicant.id_number }}.\n\n"
            "En relación con su solicitud «{{ case.subject }}», presentada el "
            "{{ case.started_at|date:'d/m/Y' }}, se ha comprobado que no reúne los requisitos "
            "exigidos: {{ extra.motivo|default:'falta documentación preceptiva' }}.\n\n"
            "De acuerdo con el artículo 68 de la Ley 39/2015, dispone de diez días hábiles para "
            "subsanar la falta o acompañar los documentos preceptivos, con indicación de que, si "
            "así no lo hiciera, se le tendrá por desistido de su petición, previa resolución.\n\n"
            "{{ unit.name }}. {{ today|date:'d/m/Y' }}."
        ),
    },
    {
        "name": "Resolución de concesión",
        "document_type": "TD01",
        "title": "Resolución · {{ case.subject }}",
        "body": (
            "Visto el expediente {{ case.case_code }}, iniciado a solicitud de "
            "{{ applicant.display_name }} ({{ applicant.id_number }}), relativo a "
            "«{{ case.subject }}».\n\n"
            "Vistos los informes obrantes en el expediente y la normativa aplicable, RESUELVO:\n\n"
            "Primero. Conceder lo solicitado{% if extra.motivo %}, con las condiciones "
            "siguientes: {{ extra.motivo }}{% endif %}.\n\n"
            "Segundo. Notificar la presente resolución al interesado, que pone fin a la vía "
            "administrativa. Contra ella cabe recurso potestativo de reposición ante este órgano "
            "en el plazo de un mes, o recurso contencioso-administrativo en el de dos meses.\n\n"
            "{{ entity.name }}, {{ today|date:'d/m/Y' }}."
        ),
    },
    {
        "name": "Certificado de estado del expediente",
        "document_type": "TD11",
        "title": "Certificado · expediente {{ case.case_code }}",
        "body": (
            "CERTIFICO que en {{ entity.name }} se tramita el expediente {{ case.case_code }} "
            "(identificador {{ case.eni_identifier }}), relativo a «{{ case.subject }}», que se "
            "encuentra en el estado «{{ case.get_status_display }}».\n\n"
            "Y para que conste, expido el presente a {{ today|date:'d/m/Y' }}."
        ),
    },
]
