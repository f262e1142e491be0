import pytest

from concejo.core.errors import ValidationFailed
from concejo.people.identifiers import clean_identifier


@pytest.mark.parametrize(
    ("kind", "id_type", "raw", "expected"),
    [
        ("natural", "nif", "12345678z", "12345678Z"),
        ("natural", "nif", "12.345.678-Z", "12345678Z"),
        ("natural", "nie", "x1234567l", "X1234567L"),
        ("natural", "nif", "K1234567L", "K1234567L"),
        ("legal", "cif", "B47123450", "B47123450"),
        ("natural", "passport", "pa 123456", "PA123456"),
    ],
)
def test_valid_documents_are_normalised(kind, id_type, raw, expected):
    assert clean_identifier(kind, id_type, raw) == expected


@pytest.mark.parametrize(
    ("kind", "id_type", "raw", "message"),
    [
        ("natural", "nif", "12345678A", "La letra o el dígito de control del DNI no es correcto."),
        ("natural", "nie", "X1234567A", "La letra o el dígito de control del NIE no es correcto."),
        ("legal", "cif", "B47123451", "La letra o el dígito de control del NIF de la persona jurídica no es correcto."),
        ("natural", "nif", "1234", "El formato del DNI no es válido."),
        ("natural", "passport", "12", "El número de pasaporte debe tener entre 5 y 20 letras o cifras."),
    ],
)  # fmt: skip
def test_wrong_documents_name_the_field_with_a_spanish_message(kind, id_type, raw, message):
    with pytest.raises(ValidationFailed) as err:
        clean_identifier(kind, id_type, raw)
    assert err.value.code == "invalid_id_number"
    assert err.value.fields == {"id_number": [message]}


def test_a_legal_person_is_not_identified_with_a_dni():
    with pytest.raises(ValidationFailed) as err:
        clean_identifier("legal", "nif", "12345678Z")
    assert err.value.code == "invalid_id_type"
    assert "id_type" in err.value.fields
