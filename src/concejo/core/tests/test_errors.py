from concejo.core.errors import ApplicationError, Conflict, ValidationFailed, field_error


def test_errors_carry_a_stable_code_status_and_field_messages():
    exc = field_error("nif", "El NIF no es válido.", code="invalid_nif")
    assert exc.status == 400
    assert exc.as_dict() == {
        "code": "invalid_nif",
        "message": "El NIF no es válido.",
        "fields": {"nif": ["El NIF no es válido."]},
    }


def test_default_messages_are_spanish():
    assert Conflict().message == "La operación no es posible en el estado actual."
    assert ValidationFailed().code == "invalid"
    assert issubclass(Conflict, ApplicationError)
    assert Conflict.status == 409
