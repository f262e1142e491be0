"""The Valladolid demo: entities, unit tree, offices, staff, citizens and a company.

DIR3 codes of units and offices are made up for the demo (right format, not
the real directory's); the council's own code and INE code are real.
"""

DEMO_PASSWORD = "Concejo-Demo-2026"

COUNCIL = {
    "name": "Ayuntamiento de Valladolid",
    "short_name": "Valladolid",
    "entity_type": "council",
    "nif": "P4718600B",
    "dir3_code": "L01471868",
    "ine_code": "47186",
    "sede_title": "Sede electrónica del Ayuntamiento de Valladolid",
}

FOUNDATIONS = [
    {
        "name": "Fundación Municipal de Cultura de Valladolid",
        "short_name": "FMC",
        "entity_type": "foundation",
        "nif": "G47123450",
        "dir3_code": "LA0019001",
        "ine_code": "47186",
        "sede_title": "Subsede de la Fundación Municipal de Cultura",
    },
    {
        "name": "Fundación Municipal de Deportes de Valladolid",
        "short_name": "FMD",
        "entity_type": "foundation",
        "nif": "G47678909",
        "dir3_code": "LA0019002",
        "ine_code": "47186",
        "sede_title": "Subsede de la Fundación Municipal de Deportes",
    },
]

# The unit that receives entries with no addressee (registro general) per entity.
REGISTRY_UNITS = {"L01471868": "LA0007011", "LA0019001": "LA0019011", "LA0019002": "LA0019021"}

# (code, name, level, children)
COUNCIL_UNITS = [
    ("LA0007001", "Alcaldía", "area", [
        ("LA0007002", "Gabinete de Alcaldía", "service", []),
    ]),
    ("LA0007010", "Secretaría General", "area", [
        ("LA0007011", "Registro General", "service", []),
        ("LA0007012", "Archivo Municipal", "service", []),
    ]),
    ("LA0007020", "Concejalía de Hacienda, Personal y Modernización", "area", [
        ("LA0007021", "Servicio de Gestión Tributaria", "service", [
            ("LA0007022", "Sección de IBI", "section", []),
            ("LA0007023", "Sección de IVTM", "section", []),
        ]),
        ("LA0007024", "Servicio de Recaudación", "service", []),
        ("LA0007025", "Servicio de Personal", "service", []),
        ("LA0007026", "Servicio de Innovación y Modernización", "service", []),
        ("LA0007027", "Intervención General", "service", []),
        ("LA0007028", "Tesorería", "service", []),
    ]),
    ("LA0007030", "Concejalía de Urbanismo y Vivienda", "area", [
        ("LA0007031", "Servicio de Licencias y Disciplina Urbanística", "service", []),
        ("LA0007032", "Servicio de Planeamiento", "service", []),
    ]),
    ("LA0007040", "Concejalía de Movilidad y Espacio Urbano", "area", [
        ("LA0007041", "Servicio de Tráfico y Aparcamientos", "service", []),
        ("LA0007042", "Servicio de Ocupación de la Vía Pública", "service", []),
    ]),
    ("LA0007050", "Concejalía de Medio Ambiente y Sostenibilidad", "area", [
        ("LA0007051", "Servicio de Limpieza Viaria y Residuos", "service", []),
        ("LA0007052", "Servicio de Parques y Jardines", "service", []),
    ]),
    ("LA0007060", "Concejalía de Servicios Sociales", "area", [
        ("LA0007061", "Servicio de Acción Social", "service", []),
    ]),
    ("LA0007070", "Concejalía de Educación y Cultura", "area", [
        ("LA0007071", "Servicio de Educación", "service", []),
    ]),
    ("LA0007080", "Concejalía de Salud Pública y Seguridad Ciudadana", "area", [
        ("LA0007081", "Policía Municipal", "service", [
            ("LA0007082", "Unidad de Atestados", "section", []),
            ("LA0007083", "Unidad de Tráfico", "section", []),
        ]),
        ("LA0007084", "Servicio de Extinción de Incendios", "service", []),
        ("LA0007085", "Servicio de Salud Pública", "service", []),
    ]),
    ("LA0007090", "Concejalía de Deportes", "area", []),
]  # fmt: skip

FOUNDATION_UNITS = {
    "LA0019001": [
        ("LA0019011", "Gerencia de la Fundación Municipal de Cultura", "area", [
            ("LA0019012", "Programación Cultural", "service", []),
        ]),
    ],
    "LA0019002": [
        ("LA0019021", "Gerencia de la Fundación Municipal de Deportes", "area", [
            ("LA0019022", "Instalaciones Deportivas", "service", []),
        ]),
    ],
}  # fmt: skip

OFFICES = {
    "L01471868": [
        {
            "name": "Oficina de Asistencia en Materia de Registros · Casa Consistorial",
            "code": "O00014701",
            "address": "Plaza Mayor, 1, 47001 Valladolid",
            "opening_hours": "Lunes a viernes de 9:00 a 14:00",
        },
        {
            "name": "Oficina de Asistencia en Materia de Registros · San Benito",
            "code": "O00014702",
            "address": "Calle San Benito, 1, 47003 Valladolid",
            "opening_hours": "Lunes a viernes de 9:00 a 14:00; jueves también de 16:30 a 19:00",
        },
    ],
    "LA0019001": [
        {
            "name": "Registro de la Fundación Municipal de Cultura",
            "code": "O00014711",
            "address": "Calle Torrecilla, 5, 47003 Valladolid",
            "opening_hours": "Lunes a viernes de 9:00 a 14:00",
        }
    ],
    "LA0019002": [
        {
            "name": "Registro de la Fundación Municipal de Deportes",
            "code": "O00014721",
            "address": "Avenida del Real Valladolid, s/n, 47015 Valladolid",
            "opening_hours": "Lunes a viernes de 9:00 a 14:00",
        }
    ],
}

# username, first name, last name, entity, unit code or None, role
EMPLOYEES = [
    ("admin", "Ana", "Administradora Sánchez", "L01471868", None, "administrator"),
    ("registro", "Rafael", "Registro Gómez", "L01471868", "LA0007011", "registry_clerk"),
    ("tramitador", "Teresa", "Tramitadora Ruiz", "L01471868", "LA0007031", "case_handler"),
    ("jefe", "Julio", "Jefe Martín", "L01471868", "LA0007030", "unit_head"),
    ("firmante", "Fernanda", "Firmante Alonso", "L01471868", "LA0007001", "signer"),
    ("auditor", "Aurelio", "Auditor Herrero", "L01471868", None, "auditor"),
    ("dpd", "Dolores", "Delegada Prieto", "L01471868", None, "dpo"),
    ("policia", "Pablo", "Agente Calvo", "L01471868", "LA0007081", "case_handler"),
    ("tributos", "Tomás", "Recaudador Vega", "L01471868", "LA0007024", "tax_officer"),
    ("cultura", "Carmen", "Gestora Cultural", "LA0019001", "LA0019011", "administrator"),
    ("deportes", "Diego", "Gestor Deportivo", "LA0019002", "LA0019021", "administrator"),
]

CITIZENS = [
    {
        "kind": "natural", "id_type": "nif", "id_number": "12345678Z",
        "first_name": "María", "last_name_1": "García", "last_name_2": "López",
        "email": "maria.garcia@example.org", "phone": "600111222",
        "address": "Calle Santiago, 10, 2º A", "postal_code": "47001",
        "municipality": "Valladolid", "municipality_ine": "47186", "province": "Valladolid",
        "username": "ciudadana",
    },
    {
        "kind": "natural", "id_type": "nif", "id_number": "71234567W",
        "first_name": "Juan", "last_name_1": "Pérez", "last_name_2": "Martín",
        "email": "juan.perez@example.org", "address": "Paseo de Zorrilla, 100",
        "postal_code": "47006", "municipality": "Valladolid", "municipality_ine": "47186",
        "province": "Valladolid", "preferred_channel": "postal",
    },
    {
        "kind": "natural", "id_type": "nif", "id_number": "09876543K",
        "first_name": "Lucía", "last_name_1": "Fernández", "last_name_2": "Herrero",
        "email": "lucia.fernandez@example.org", "address": "Calle Real, 3",
        "postal_code": "47130", "municipality": "Simancas", "municipality_ine": "47161",
        "province": "Valladolid", "obliged_reason": "registered_professional",
    },
    {
        "kind": "natural", "id_type": "nie", "id_number": "X1234567L",
        "first_name": "Andrei", "last_name_1": "Popescu",
        "email": "andrei.popescu@example.org", "address": "Calle Gamazo, 7",
        "postal_code": "47004", "municipality": "Valladolid", "municipality_ine": "47186",
        "province": "Valladolid",
    },
    {
        "kind": "legal", "id_type": "cif", "id_number": "B47123450",
        "business_name": "Limpiezas del Pisuerga, S.L.",
        "email": "administracion@limpiezaspisuerga.example", "phone": "983000111",
        "address": "Polígono de Argales, nave 12", "postal_code": "47008",
        "municipality": "Valladolid", "municipality_ine": "47186", "province": "Valladolid",
        "username": "empresa",
    },
]  # fmt: skip

# The company is represented by Lucía Fernández (a general power).
REPRESENTATIONS = [("B47123450", "09876543K", "general", 3)]
