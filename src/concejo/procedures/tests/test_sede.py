import pytest

from concejo.core.actors import Actor
from concejo.procedures import services
from concejo.procedures.tests.factories import content

pytestmark = pytest.mark.django_db


def publish(entity, sia, **kw):
    version = services.procedure_create(
        actor=Actor.system(), entity=entity, sia_code=sia, **content(entity, **kw)
    )
    return services.procedure_publish(actor=Actor.system(), procedure=version.procedure)


def test_the_sede_catalog_searches_and_shows_what_a_citizen_needs(client, council):
    publish(council, "2045001", name="Licencia de obra menor", silence_effect="approval")
    publish(
        council,
        "2045006",
        name="Acceso a información pública",
        category="Transparencia",
        silence_effect="refusal",
        max_resolution_amount=1,
    )
    page = client.get(
        f"/{council.dir3_code}/procedimientos/", {"q": "informacion"}
    ).content.decode()
    assert "Acceso a información pública" in page and "Licencia de obra menor" not in page
    detail = client.get(f"/{council.dir3_code}/procedimientos/2045006/").content.decode()
    for expected in (
        "Desestimatorio (silencio negativo)",
        "1 meses",
        "Presupuesto",
        "obligatorio",
        "60.00 €",
    ):
        assert expected in detail
    assert client.get(f"/{council.dir3_code}/procedimientos/NOEXISTE/").status_code == 404


def test_the_sede_catalog_pages_by_name(client, council):
    for i in range(55):
        publish(council, f"P{i:02d}", name=f"Trámite {i:02d}")
    first = client.get(f"/{council.dir3_code}/procedimientos/")
    html = first.content.decode()
    assert "Trámite 00" in html and "Trámite 49" in html and "Trámite 50" not in html
    more = first.context["next_version"]
    second = client.get(
        f"/{council.dir3_code}/procedimientos/", {"desde": more.name, "id": str(more.id)}
    ).content.decode()
    assert "Trámite 50" in second and "Trámite 54" in second and "Trámite 49" not in second
    assert (
        client.get(
            f"/{council.dir3_code}/procedimientos/", {"desde": "x", "id": "no-uuid"}
        ).status_code
        == 200
    )
