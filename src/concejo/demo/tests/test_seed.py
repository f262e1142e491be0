import io

import pytest
from django.core.management import call_command

from concejo.audit.selectors import audit_chain_verify, audit_chains
from concejo.organization.models import Entity, Membership, Office, Role, Unit
from concejo.people.models import Person, Representation
from concejo.procedures.models import ProcedureVersion

pytestmark = pytest.mark.django_db


def counts():
    return tuple(
        m.objects.count() for m in (Entity, Unit, Office, Membership, Person, Representation)
    )


def test_seed_demo_builds_valladolid_and_is_idempotent(client):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    assert "Concejo-Demo-2026" in out.getvalue()

    council = Entity.objects.get(dir3_code="L01471868")
    assert (council.name, council.ine_code) == ("Ayuntamiento de Valladolid", "47186")
    foundations = Entity.objects.filter(parent=council, entity_type="foundation")
    assert foundations.count() >= 2
    police = Unit.objects.get(name="Policía Municipal")
    assert police.parent.name == "Concejalía de Salud Pública y Seguridad Ciudadana"
    areas = set(Unit.objects.filter(entity=council, parent=None).values_list("name", flat=True))
    assert {"Concejalía de Hacienda, Personal y Modernización", "Concejalía de Deportes"} <= areas
    roles = set(Membership.objects.filter(entity=council).values_list("role", flat=True))
    assert set(Role.values) <= roles
    assert Person.objects.filter(kind="legal", obliged_reason="legal_person").exists()
    assert all(audit_chain_verify(chain=c) is None for c in audit_chains())

    published = ProcedureVersion.objects.filter(status="published")
    for entity in Entity.objects.all():
        assert published.filter(entity=entity, name="Instancia general").exists()
    council_procedures = published.filter(entity=council).exclude(name="Instancia general")
    assert council_procedures.count() >= 8
    assert {"approval", "refusal"} <= set(
        council_procedures.values_list("silence_effect", flat=True)
    )
    calendar = client.get(
        "/api/v1/deadlines/calendar", {"entity": "L01471868", "year": 2026}
    ).json()
    assert {
        "date": "2026-09-08",
        "name": "Nuestra Señora de San Lorenzo",
        "level": "local",
        "municipality": "47186",
    } in calendar["days"]

    assert client.login(username="registro", password="Concejo-Demo-2026")
    page = client.get("/backoffice/").content.decode()
    assert "Registro General" in page and "Personal de registro" in page

    # The portafirmas has a proposal waiting for the unit head; María has a notification.
    assert client.login(username="jefe", password="Concejo-Demo-2026")
    assert "propuesta de resolución" in client.get("/backoffice/portafirmas/").content.decode()
    assert client.login(username="ciudadana", password="Concejo-Demo-2026")
    folder = client.get("/carpeta/notificaciones/").content.decode()
    assert "Concesión de licencia de vado permanente" in folder

    # Open311 lists the council's street-cleaning services.
    services = client.get("/open311/v2/services.json", {"jurisdiction_id": "L01471868"}).json()
    assert {"contenedor_lleno", "pintadas", "animal_muerto"} <= {
        s["service_code"] for s in services
    }

    # The demo identity provider offers the demo citizens and companies, not employees.
    client.logout()
    login = client.get("/carpeta/entrar/").content.decode()
    assert "Entrar como María García López" in login and "Entrar como Ana" not in login
