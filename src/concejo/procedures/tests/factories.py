from concejo.organization.tests.factories import UnitFactory

FORM = {
    "type": "object",
    "required": ["expone"],
    "properties": {"expone": {"type": "string"}, "solicita": {"type": "string"}},
}


def content(entity, **overrides):
    """Valid content for a procedure version of `entity`."""
    values = {
        "name": "Licencia de obra menor",
        "summary": "Obras pequeñas",
        "description": "Reformas interiores de viviendas y locales.",
        "category": "Urbanismo y vivienda",
        "responsible_unit": UnitFactory(entity=entity),
        "silence_effect": "approval",
        "max_resolution_amount": 3,
        "max_resolution_unit": "months",
        "audience": ["citizens"],
        "form_schema": FORM,
        "fees": [{"concept": "Tasa", "amount": "60"}],
        "required_documents": [{"name": "Presupuesto", "accepted_formats": ["PDF", ".jpg"]}],
    }
    values.update(overrides)
    return values
