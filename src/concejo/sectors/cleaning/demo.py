"""Demo data of the street-cleaning service of Valladolid (districts are approximations)."""

from __future__ import annotations

from pathlib import Path

# Four demo zones covering the municipality's extent, split at the Plaza Mayor
# (41.652, -4.728); the real district boundaries come from the council's GIS.
SOUTH, NORTH, WEST, EAST = 41.56, 41.72, -4.83, -4.63
MID_LAT, MID_LON = 41.652, -4.728
ZONES = [
    ("NO", "Zona noroeste (demo)", [[MID_LAT, WEST], [MID_LAT, MID_LON], [NORTH, MID_LON], [NORTH, WEST]]),
    ("NE", "Zona noreste (demo)", [[MID_LAT, MID_LON], [MID_LAT, EAST], [NORTH, EAST], [NORTH, MID_LON]]),
    ("SO", "Zona suroeste (demo)", [[SOUTH, WEST], [SOUTH, MID_LON], [MID_LAT, MID_LON], [MID_LAT, WEST]]),
    ("SE", "Zona sureste (demo)", [[SOUTH, MID_LON], [SOUTH, EAST], [MID_LAT, EAST], [MID_LAT, MID_LON]]),
]  # fmt: skip
CONTAINER_TYPES = [{"key": k, "name": n} for k, n in (
    ("resto", "Resto (gris)"), ("envases", "Envases (amarillo)"), ("papel", "Papel (azul)"),
    ("vidrio", "Vidrio (verde)"), ("organico", "Orgánico (marrón)"))]  # fmt: skip
CATEGORIES = [
    ("basura", "Basura o suciedad en la calle", 2, "business_days", []),
    ("contenedor_lleno", "Contenedor desbordado", 1, "business_days", [
        {"code": "tipo_contenedor", "datatype": "singlevaluelist", "required": True,
         "description": "Tipo de contenedor", "values": CONTAINER_TYPES}]),
    ("voluminosos", "Enseres o vertido ilegal", 3, "business_days", []),
    ("pintadas", "Pintadas o grafitis", 10, "business_days", []),
    ("excrementos", "Excrementos de perro", 2, "business_days", []),
    ("sin_barrer", "Calle sin barrer", 3, "business_days", []),
    ("derrame", "Derrame de aceite o líquidos", 8, "hours", []),
    ("animal_muerto", "Animal muerto en la vía pública", 6, "hours", []),
    ("malas_hierbas", "Malas hierbas en aceras", 10, "business_days", []),
    ("otros", "Otro problema de limpieza", 5, "business_days", []),
]  # fmt: skip


# A few real streets of Valladolid (approximate points; the address ids are made up
# in the form of the council's portal codes): the gazetteer's CSV format, documented
# in docs/architecture.md, and what `load_street_addresses` reads.
ADDRESSES_CSV = Path(__file__).parent / "fixtures" / "callejero-demo.csv"


def seed_cleaning(council) -> None:
    from concejo.core.actors import Actor
    from concejo.sectors.cleaning.models import ServiceCategory, StreetAddress
    from concejo.sectors.cleaning.services import street_addresses_load

    if not ServiceCategory.objects.filter(entity=council).exists():
        _seed_setup(council)
    if not StreetAddress.objects.filter(entity=council).exists():
        street_addresses_load(
            actor=Actor.system(), entity=council, csv_text=ADDRESSES_CSV.read_text("utf-8")
        )


def _seed_setup(council) -> None:
    from concejo.organization.models import Unit
    from concejo.sectors.cleaning.models import Crew, District, ServiceCategory

    unit = Unit.objects.get(entity=council, dir3_code="LA0007051")
    for code, name, boundary in ZONES:
        district = District.objects.create(entity=council, code=code, name=name, boundary=boundary)
        Crew.objects.create(
            entity=council, name=f"Brigada {code}", shift="mañana", district=district
        )
    for code, name, amount, unit_name, attributes in CATEGORIES:
        ServiceCategory.objects.create(
            entity=council, code=code, name=name, responsible_unit=unit, sla_amount=amount,
            sla_unit=unit_name, attributes=attributes,
        )  # fmt: skip
