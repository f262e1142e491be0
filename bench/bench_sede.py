"""A deadline-day burst on the sede: citizens applying online with two 200 KB attachments.

Each simulated citizen goes through the real pages of a running gunicorn on
loopback (session, CSRF, draft, two uploads, review), as citizens do in the
days before a deadline; then all of them submit at once, as on its last day.
A submission files the registry entry with both files; the case, with copies
of them, is opened right after by the outbox worker (ADR 0027), whose rate is
measured after the burst. Both phases and the worker are reported. Bounded: a fixed number of citizens,
a timeout per request.
"""

from __future__ import annotations

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid

from bench.datasets import bench_entity, persons
from bench.run import Result
from bench.server import gunicorn, percentile

CLIENTS = 24
CITIZENS = 240
TIMEOUT = 60
ATTACHMENT = b"%PDF-1.4\n" + b"0" * (200 * 1024 - 20) + b"\n%%EOF\n"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _prepare(count: int) -> tuple[str, list[str]]:
    from django.contrib.auth import get_user_model

    from concejo.core.actors import Actor
    from concejo.organization.models import Unit
    from concejo.people.models import Person
    from concejo.procedures import services as procedures
    from concejo.procedures.models import Procedure

    entity = bench_entity()
    unit, _ = Unit.objects.get_or_create(
        entity=entity, dir3_code="LA0472222",
        defaults={"name": "Registro general (bench)", "valid_from": "2020-01-01"},
    )  # fmt: skip
    if entity.registry_unit_id is None:
        entity.registry_unit = unit
        entity.save(update_fields=["registry_unit"])
    if not Procedure.objects.filter(entity=entity, sia_code="9990001").exists():
        version = procedures.procedure_create(
            actor=Actor.system(), entity=entity, sia_code="9990001", name="Ayuda al alquiler",
            summary="Convocatoria", description="Plazo de solicitud abierto hasta hoy.",
            category="Vivienda", responsible_unit=unit, silence_effect="refusal",
            max_resolution_amount=3, max_resolution_unit="months", audience=["citizens"],
            form_schema={"type": "object", "required": ["ingresos"],
                         "properties": {"ingresos": {"type": "number", "minimum": 0}}},
            fees=[], required_documents=[
                {"name": "Contrato de alquiler", "mandatory": True, "accepted_formats": ["pdf"]},
                {"name": "Certificado de ingresos", "mandatory": True, "accepted_formats": ["pdf"]},
            ],
        )  # fmt: skip
        procedures.procedure_publish(actor=Actor.system(), procedure=version.procedure)
    users = get_user_model()
    people = []
    offset = 900_000 + Person.objects.count()
    for data in persons(count, offset=offset):
        user = users.objects.create_user(username=f"c{data['id_number']}", password=None)
        people.append(Person(entity=entity, user=user, **data))
    Person.objects.bulk_create(people)
    return entity.dir3_code, [str(p.pk) for p in people]


def _multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, (filename, content) in files.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n".encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


class Citizen:
    def __init__(self, base: str) -> None:
        self.base = base
        self.token = ""
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[str, str]:
        with self.opener.open(self.base + path, timeout=TIMEOUT) as response:
            return response.geturl(), response.read().decode()

    def post(self, path: str, fields: dict, files: dict | None = None) -> str:
        body, kind = _multipart(fields, files or {})
        request = urllib.request.Request(self.base + path, data=body, headers={
            "Content-Type": kind, "Referer": self.base + path})  # fmt: skip
        with self.opener.open(request, timeout=TIMEOUT) as response:
            return response.geturl()


def _prepare_application(citizen: Citizen, dir3: str, person: str) -> str:
    """Sign in, fill the form, upload both files and pass the review; the path to submit."""
    _, page = citizen.get("/carpeta/entrar/")
    citizen.post(
        "/carpeta/entrar/demo/", {"csrfmiddlewaretoken": TOKEN.search(page)[1], "person": person}
    )
    draft_url, page = citizen.get(f"/{dir3}/procedimientos/9990001/solicitar/")
    path = urllib.parse.urlparse(draft_url).path
    citizen.token = TOKEN.search(page)[1]
    citizen.post(path, {"csrfmiddlewaretoken": citizen.token, "action": "save", "f-ingresos": "14500"},
                 {"slot-1": ("contrato.pdf", ATTACHMENT), "slot-2": ("ingresos.pdf", ATTACHMENT)})  # fmt: skip
    review = citizen.post(path, {"csrfmiddlewaretoken": citizen.token, "action": "review",
                                 "f-ingresos": "14500", "notification_channel": "electronic"})  # fmt: skip
    if not review.endswith("/revisar/"):
        raise RuntimeError(f"review refused: {review}")
    return urllib.parse.urlparse(review).path


def _submit(citizen: Citizen, review_path: str) -> float:
    """The submission itself (the registry entry with both files; the case is opened by the
    outbox worker after the commit, ADR 0027); its latency."""
    start = time.perf_counter()
    done = citizen.post(review_path, {"csrfmiddlewaretoken": citizen.token})
    elapsed = time.perf_counter() - start
    if "/carpeta/presentadas/" not in done:
        raise RuntimeError(f"submission refused: {done}")
    return elapsed


def _in_parallel(work, items: list, failures: list[str]) -> tuple[list, float]:
    """Run `work(item)` over `items` with CLIENTS threads; results and elapsed seconds."""
    results: list = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        for item in items[index::CLIENTS]:
            try:
                result = work(item)
            except (OSError, RuntimeError, urllib.error.HTTPError) as exc:
                with lock:
                    failures.append(repr(exc)[:200])
                continue
            with lock:
                results.append(result)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CLIENTS)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=900)
    return results, time.perf_counter() - start


def deadline_day_burst(options) -> list[Result]:
    """Two phases against one server: citizens prepare their applications (sign-in,
    form, two uploads, review), then, on the last day, all of them submit at once."""
    from django.db import connection

    from concejo.registry.models import RegistryEntry

    if connection.vendor != "postgresql":
        return []  # the target is for the server on PostgreSQL
    count = max(CLIENTS, int(CITIZENS * options.scale))
    dir3, people = _prepare(count)
    before = RegistryEntry.objects.count()
    failures: list[str] = []
    with gunicorn(4, 8, OUTBOX_MODE="deferred") as base:

        def prepare(person: str) -> tuple[Citizen, str, float]:
            began = time.perf_counter()
            citizen = Citizen(base)
            path = _prepare_application(citizen, dir3, person)
            return citizen, path, time.perf_counter() - began

        ready, preparing = _in_parallel(prepare, people, failures)
        latencies, bursting = _in_parallel(
            lambda item: _submit(item[0], item[1]), [(c, p) for c, p, _ in ready], failures
        )
    filed = RegistryEntry.objects.count() - before
    # What the burst left to the workers: the cases and the receipts (ADR 0027).
    from concejo.cases.models import Case
    from concejo.outbox.services import outbox_drain

    cases_before = Case.objects.count()
    began = time.perf_counter()
    drained, drain_failures = outbox_drain(limit=100_000)
    draining = time.perf_counter() - began
    opened = Case.objects.count() - cases_before
    dataset = f"{count} citizens, {CLIENTS} at once, 2x200 KB, gunicorn 4x8"
    if failures:
        print(f"  {len(failures)} failed, first: {failures[0]}")
    return [
        Result("sede: submissions in the burst", dataset, len(latencies) / bursting, "subm./s"),
        Result("sede: submission POST p50", dataset, percentile(latencies, 0.50) * 1000, "ms"),
        Result("sede: submission POST p95", dataset, percentile(latencies, 0.95) * 1000, "ms"),
        Result("sede: submission POST p99", dataset, percentile(latencies, 0.99) * 1000, "ms"),
        Result(
            "sede: applications prepared (sign-in, form, 2 uploads, review)",
            dataset,
            len(ready) / preparing,
            "appl./s",
        ),
        Result(
            "sede: preparing one application p99 (6 requests)",
            dataset,
            percentile([t for _, _, t in ready], 0.99) * 1000,
            "ms",
        ),
        Result(
            "sede: failed requests (must be 0)", f"{filed} entries filed", len(failures), "errors"
        ),
        Result(
            "sede: cases opened afterwards by one outbox worker",
            f"{opened} cases ({drained} tasks incl. receipts)",
            opened / draining,
            "cases/s",
        ),
        Result(
            "sede: outbox tasks failed after the burst (must be 0)",
            f"{drained} tasks",
            drain_failures,
            "errors",
        ),
    ]


BENCHMARKS = [deadline_day_burst]
