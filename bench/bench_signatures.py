"""PAdES seals applied per second on one-page and 20-page PDFs (one process, one core)."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

from bench.datasets import bench_entity
from bench.run import Result


def _pdf(pages: int) -> bytes:
    from reportlab.platypus import PageBreak, Paragraph

    from concejo.core.pdf import BODY, TITLE, build_pdf

    story = []
    for page in range(pages):
        story += [
            Paragraph(f"Página {page + 1}", TITLE),
            Paragraph("Texto de prueba. " * 200, BODY),
            PageBreak(),
        ]
    return build_pdf(story, title="Bench", author="Bench", footer=lambda canvas, doc: None)


def _sealed_entity():
    from django.conf import settings

    from concejo.signatures.pki import create_test_pki

    entity = bench_entity()
    directory = Path(tempfile.mkdtemp(prefix="concejo-bench-pki-"))
    _ca, seal = create_test_pki(
        directory=directory,
        entity_name=entity.name,
        nif=entity.nif,
        password=settings.SEAL_PASSWORD,
    )
    entity.seal_certificate_path = str(seal)
    entity.save(update_fields=["seal_certificate_path"])
    return entity


def seal_rate(options) -> list[Result]:
    from concejo.signatures.seal import seal_pdf

    entity = _sealed_entity()
    rows = []
    for pages, count in ((1, int(200 * options.scale) or 1), (20, int(50 * options.scale) or 1)):
        content = _pdf(pages)
        seal_pdf(entity, content, reason="warm-up")
        start = time.perf_counter()
        for _ in range(count):
            seal_pdf(entity, content, reason="Bench", csv_display="ABCD-EFGH-JKLM-NPQR")
        rate = count / (time.perf_counter() - start)
        rows.append(
            Result(
                f"signatures: PAdES seals, {pages}-page PDF (1 core)",
                f"{count} seals, RSA-2048, visible stamp",
                rate,
                "seals/s",
            )
        )
    return rows


def eni_export(options) -> list[Result]:
    """ENI export (and import back) of a closed case with 200 one-page PDF documents."""
    from concejo.cases import services as cases
    from concejo.cases.eni import case_eni_export, case_eni_import
    from concejo.core.actors import Actor
    from concejo.documents.services import document_create
    from concejo.organization.models import Entity, Unit
    from concejo.people.services import person_find_or_create

    entity = _sealed_entity()
    system = Actor.system()
    unit, _ = Unit.objects.get_or_create(
        entity=entity,
        dir3_code="LA0470001",
        defaults={"name": "Unidad de benchmark", "valid_from": dt.date(2020, 1, 1)},
    )
    person = person_find_or_create(
        actor=system, entity=entity,
        data={"id_type": "nif", "id_number": "12345678Z", "first_name": "Bench", "last_name_1": "Uno"},
    )  # fmt: skip
    count = int(200 * options.scale) or 1
    case = cases.case_open(
        actor=system, entity=entity, subject="Expediente de benchmark ENI",
        parties=[(person, "applicant")], responsible_unit=unit,
    )  # fmt: skip
    content = _pdf(1)
    for number in range(count):
        document = document_create(
            actor=system, entity=entity, title=f"Documento {number}", file_name=f"d{number}.pdf",
            content=content + f"% {number}\n".encode(), document_type="TD99",
        )  # fmt: skip
        cases.case_document_add(actor=system, case=case, document=document)
    for status in ("in_progress", "resolved", "notified"):
        case = cases.case_transition(actor=system, case=case, to_status=status)
    case = cases.case_close(actor=system, case=case)
    start = time.perf_counter()
    bundle = case_eni_export(actor=system, case=case)
    exported = time.perf_counter() - start
    receiver, _ = Entity.objects.get_or_create(
        dir3_code="L01470002",
        defaults={"name": "Receptora de benchmark", "entity_type": "council", "nif": "P4700001J",
                  "ine_code": "47186"},
    )  # fmt: skip
    receiver_unit, _ = Unit.objects.get_or_create(
        entity=receiver,
        dir3_code="LA0470002",
        defaults={"name": "Unidad receptora", "valid_from": dt.date(2020, 1, 1)},
    )
    start = time.perf_counter()
    case_eni_import(actor=system, entity=receiver, raw=bundle, responsible_unit=receiver_unit)
    imported = time.perf_counter() - start
    size = f"{count} docs, {len(bundle) / 1e6:.1f} MB zip"
    return [
        Result("cases: ENI export of a closed case", size, exported * 1000, "ms"),
        Result("cases: ENI import (schemas, signature, hashes)", size, imported * 1000, "ms"),
    ]


BENCHMARKS = [seal_rate, eni_export]
