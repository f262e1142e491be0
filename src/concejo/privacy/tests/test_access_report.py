"""The data-protection officer sees who read a person's data, and that look is recorded too."""

import re

import pytest

from concejo.audit.models import AuditEntry, Outcome
from concejo.audit.services import audit_record_list_read
from concejo.core.actors import Actor
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory
from concejo.people.selectors import person_get
from concejo.people.tests.factories import PersonFactory
from concejo.privacy.selectors import person_access_report

pytestmark = pytest.mark.django_db

URL = "/backoffice/proteccion-datos/accesos/"


def rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", r)).strip() for r in body.split("<tr>")[1:]]


def test_the_report_lists_every_read_of_the_persons_data_with_who_why_what_and_where(
    dpo_client, maria_read
):
    html = dpo_client.get(URL, {"nif": "12345678-z"}).content.decode()
    lines = rows(html)
    assert "Accesos a los datos de María García (12345678Z)" in html
    # Newest first: the officer's own look, the case, the entry, the person row.
    assert "user:delegada" in lines[0]
    assert "Informe de accesos a datos personales" in lines[0]
    assert "Tere Tramita (user:tramitadora)" in lines[1] and "Expediente:" in lines[1]
    assert "Licencia de vado" in lines[1] and "10.0.0.7" in lines[1]
    assert "user:ana" in lines[2] and "Asiento registral:" in lines[2]
    assert "Solicitud de vado" in lines[2] and "10.0.0.8" in lines[2]
    assert "Interesado: María García (12345678Z)" in lines[3]
    assert "Comprobar domicilio" in lines[3]
    assert len(lines) == 4
    assert "Pedro" not in html


def test_a_list_page_that_showed_the_person_counts_and_one_that_did_not_does_not(
    council, maria_read
):
    clerk = Actor(user=maria_read["clerk"], ip="10.0.0.9")
    audit_record_list_read(
        actor=clerk, entity=council, action="people.person.list",
        ids=[str(maria_read["other"].pk), str(maria_read["maria"].pk)],
    )  # fmt: skip
    audit_record_list_read(
        actor=clerk, entity=council, action="registry.entry.list",
        ids=[str(maria_read["entry"].pk)],
    )  # fmt: skip
    audit_record_list_read(
        actor=clerk, entity=council, action="people.person.list",
        ids=[str(maria_read["other"].pk)],
    )  # fmt: skip
    report = person_access_report(actor=Actor.system(), entity=council, id_number="12345678Z")
    whats = [line.what for line in report.lines]
    assert whats[:3] == [
        "Interesado: María García (12345678Z)",  # the report itself
        "Listado de asientos (1 elementos en la página)",
        "Listado de interesados (2 elementos en la página)",
    ]
    assert len(report.lines) == 6


def test_reads_in_another_entity_or_of_a_namesake_are_not_in_the_report(
    council, other_entity, maria_read
):
    elsewhere = PersonFactory(entity=other_entity, id_number="12345678Z", first_name="María")
    person_get(actor=Actor.system(), person_id=elsewhere.pk, purpose="Otra entidad")
    report = person_access_report(actor=Actor.system(), entity=council, id_number="12345678Z")
    assert "Otra entidad" not in {line.purpose for line in report.lines}
    assert len(report.lines) == 4


def test_looking_is_recorded_as_a_read_of_the_person(dpo_client, maria_read):
    dpo_client.get(URL, {"nif": "12345678Z"})
    row = AuditEntry.objects.filter(action="privacy.access_report.read").get()
    assert row.outcome == Outcome.READ
    assert row.object_id == str(maria_read["maria"].pk) and row.actor == "user:delegada"


def test_long_reports_come_in_pages_of_fifty_without_repeating_a_line(
    council, maria_read, django_assert_max_num_queries
):
    handler = Actor(user=maria_read["handler"])
    for n in range(60):
        person_get(actor=handler, person_id=maria_read["maria"].pk, purpose=f"consulta {n}")
    with django_assert_max_num_queries(12):
        first = person_access_report(actor=Actor.system(), entity=council, id_number="12345678Z")
    second = person_access_report(
        actor=Actor.system(), entity=council, id_number="12345678Z", cursor=first.next_cursor
    )
    assert len(first.lines) == 50 and first.next_cursor
    ids = [line.entry_id for line in first.lines + second.lines]
    assert len(ids) == len(set(ids))
    # 60 + 3 reads + the first look (the second look is newer than the cursor).
    assert len(second.lines) == 64 - 50 and not second.next_cursor


def test_the_next_page_link_continues_the_report(dpo_client, maria_read):
    handler = Actor(user=maria_read["handler"])
    for _n in range(55):
        person_get(actor=handler, person_id=maria_read["maria"].pk)
    html = dpo_client.get(URL, {"nif": "12345678Z"}).content.decode()
    link = re.search(r'href="(\?nif=[^"]+)"', html).group(1).replace("&amp;", "&")
    rest = rows(dpo_client.get(URL + link).content.decode())
    assert len(rest) == 55 + 3 + 1 - 50


def test_an_unknown_document_says_so_and_a_broken_cursor_is_refused(dpo_client, maria_read):
    assert (
        "No hay ningún interesado con ese documento"
        in dpo_client.get(URL, {"nif": "00000000T"}).content.decode()
    )
    html = dpo_client.get(URL, {"nif": "12345678Z", "antes": "ayer"}).content.decode()
    assert "La posición de la página no es válida." in html


@pytest.mark.parametrize("role", [Role.AUDITOR, Role.ADMINISTRATOR, Role.DPO])
def test_auditors_administrators_and_the_dpo_may_see_it(client, council, maria_read, role):
    client.force_login(MembershipFactory(entity=council, role=role).user)
    assert "María García" in client.get(URL, {"nif": "12345678Z"}).content.decode()


@pytest.mark.parametrize("role", [Role.CASE_HANDLER, Role.REGISTRY_CLERK, Role.UNIT_HEAD])
def test_other_employees_get_the_refusal_page_and_nothing_is_recorded(
    client, council, maria_read, role
):
    client.force_login(MembershipFactory(entity=council, role=role).user)
    response = client.get(URL, {"nif": "12345678Z"})
    assert response.status_code == 403 and "María" not in response.content.decode()
    assert not AuditEntry.objects.filter(action="privacy.access_report.read").exists()
