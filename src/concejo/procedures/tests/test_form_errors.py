"""Form errors are one Spanish sentence per field, keyed by the field's path."""

from concejo.procedures.form_errors import form_errors

SCHEMA = {
    "type": "object",
    "required": ["nombre", "ingresos"],
    "properties": {
        "nombre": {"type": "string", "minLength": 2, "maxLength": 10},
        "ingresos": {"type": "number", "minimum": 0},
        "hijos": {"type": "integer", "maximum": 20},
        "vivienda": {"enum": ["propia", "alquiler"]},
        "domicilio": {
            "type": "object",
            "required": ["calle"],
            "properties": {"calle": {"type": "string"}, "cp": {"pattern": "^[0-9]{5}$"}},
        },
    },
}


def test_a_valid_form_has_no_errors():
    assert form_errors(SCHEMA, {"nombre": "Ana", "ingresos": 1200.5}) == {}


def test_each_field_gets_its_own_spanish_sentence():
    errors = form_errors(
        SCHEMA,
        {
            "nombre": "A", "ingresos": -1, "hijos": 2.5, "vivienda": "hotel",
            "domicilio": {"cp": "47O01"},
        },
    )  # fmt: skip
    assert errors == {
        "nombre": "Escriba al menos 2 caracteres.",
        "ingresos": "Debe ser como mínimo 0.",
        "hijos": "Debe ser un número entero.",
        "vivienda": "Elija uno de estos valores: propia, alquiler.",
        "domicilio.calle": "Este dato es obligatorio.",
        "domicilio.cp": "No tiene el formato esperado.",
    }


def test_missing_fields_are_named_and_a_wrong_type_is_explained():
    errors = form_errors(SCHEMA, {"nombre": 5})
    assert errors == {
        "ingresos": "Este dato es obligatorio.",
        "nombre": "Debe ser un texto.",
    }
    assert form_errors(SCHEMA, []) == {"": "Debe ser un grupo de datos."}
