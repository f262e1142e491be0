"""PAdES seals applied per second on one-page and 20-page PDFs (one process, one core)."""

from __future__ import annotations

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


def seal_rate(options) -> list[Result]:
    from django.conf import settings

    from concejo.signatures.pki import create_test_pki
    from concejo.signatures.seal import seal_pdf

    entity = bench_entity()
    directory = Path(tempfile.mkdtemp(prefix="concejo-bench-pki-"))
    _ca, seal = create_test_pki(
        directory=directory,
        entity_name=entity.name,
        nif=entity.nif,
        password=settings.SEAL_PASSWORD,
    )
    entity.seal_certificate_path = str(seal)  # in memory only: no need to save for sealing
    rows = []
    for pages, count in ((1, int(200 * options.scale) or 1), (20, int(50 * options.scale) or 1)):
        content = _pdf(pages)
        seal_pdf(entity, content, reason="warm-up")
        start = time.perf_counter()
        for _ in range(count):
            seal_pdf(entity, content, reason="Bench")
        rate = count / (time.perf_counter() - start)
        rows.append(
            Result(
                f"signatures: PAdES seals, {pages}-page PDF (1 core)",
                f"{count} seals, RSA-2048",
                rate,
                "seals/s",
            )
        )
    return rows


BENCHMARKS = [seal_rate]
