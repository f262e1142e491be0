"""Portafirmas: requests in sequence and in parallel, signing, rejecting, and the API."""

import hashlib

import pytest
from django.utils import timezone
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import PageBreak, Paragraph

from concejo.core.actors import Actor
from concejo.core.errors import Conflict, PermissionDenied, ValidationFailed
from concejo.core.pdf import build_pdf
from concejo.documents.models import DocumentStatus, DocumentVersion
from concejo.documents.services import document_content, document_create
from concejo.organization.models import Role
from concejo.organization.tests.factories import MembershipFactory
from concejo.signatures import services
from concejo.signatures.models import DocumentSignature, RequestStatus, StepStatus
from concejo.signatures.tests.helpers import pdfsig
from concejo.signatures.verify import pdf_signatures_verify

pytestmark = pytest.mark.django_db


def real_pdf(text: str = "Resolución de prueba", pages: int = 1) -> bytes:
    style = getSampleStyleSheet()["Normal"]
    story = []
    for page in range(pages):
        story += [Paragraph(f"{text} — página {page + 1}", style), PageBreak()]
    return build_pdf(story, title=text, author="Concejo", footer=lambda canvas, doc: None)


def draft_pdf(entity, actor, title: str, pages: int = 1):
    return document_create(
        actor=actor, entity=entity, title=title, file_name=f"{title.lower()}.pdf",
        content=real_pdf(title, pages), document_type="TD01",
    )  # fmt: skip


def employee(entity, role=Role.UNIT_HEAD, **names):
    return MembershipFactory(entity=entity, role=role, user__first_name=names.get("first", "Ana"),
                             user__last_name=names.get("last", "Pérez")).user  # fmt: skip


@pytest.fixture
def desk(sealed_council):
    handler = employee(sealed_council, Role.CASE_HANDLER)
    first = employee(sealed_council, first="Luis", last="Gómez")
    second = employee(sealed_council, first="Marta", last="Núñez")
    docs = [draft_pdf(sealed_council, Actor(user=handler), f"Decreto {i}") for i in (1, 2)]
    return {"entity": sealed_council, "handler": Actor(user=handler), "first": first,
            "second": second, "docs": docs}  # fmt: skip


def ask(desk, mode="sequential", signers=None, docs=None):
    return services.signature_request_create(
        actor=desk["handler"], entity=desk["entity"], subject="Firma de decretos",
        documents=docs or desk["docs"], signers=signers or [desk["first"], desk["second"]],
        mode=mode,
    )  # fmt: skip


def test_a_sequential_request_is_signed_in_order_and_makes_the_documents_final(desk, tmp_path):
    request = ask(desk)
    with pytest.raises(Conflict) as err:
        services.signature_sign(actor=Actor(user=desk["second"]), request=request)
    assert err.value.code == "not_your_turn"
    services.signature_sign(actor=Actor(user=desk["first"], ip="10.0.0.5"), request=request)
    document = desk["docs"][0]
    document.refresh_from_db()
    assert document.status == DocumentStatus.DRAFT and document.version == 2
    assert document.issued is not None  # the CSV shown in the stamp exists from the first one
    services.signature_sign(actor=Actor(user=desk["second"]), request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.SIGNED and request.completed_at is not None
    for document in desk["docs"]:
        document.refresh_from_db()
        assert document.status == DocumentStatus.FINAL and document.version == 3
        content = document_content(document)
        assert hashlib.sha256(content).hexdigest() == document.sha256
        # Earlier versions are kept; each signature is an incremental update of the last.
        versions = DocumentVersion.objects.filter(document=document).order_by("version")
        assert [v.version for v in versions] == [1, 2]
        signatures = DocumentSignature.objects.filter(document=document).order_by("signed_at")
        assert [s.signer_name for s in signatures] == ["Luis Gómez", "Marta Núñez"]
        assert signatures[0].sha256_after == versions[1].sha256
        # An independent verifier finds both signatures valid and the signers' names.
        report = pdfsig(content, tmp_path)
        assert report.count("Signature is Valid") == 2, report
        assert "Firma1" in report and "Firma2" in report
        assert "Total document signed" in report  # the last signature covers the whole file
        # Our verifier agrees: intact and from the entity's seal certificate.
        reports = pdf_signatures_verify(content)
        assert [r.field for r in reports] == ["Firma1", "Firma2"]
        assert all(r.intact for r in reports)
    steps = list(request.steps.order_by("order"))
    assert [s.status for s in steps] == [StepStatus.SIGNED, StepStatus.SIGNED]
    assert steps[0].ip == "10.0.0.5"


def test_the_visible_footer_shows_the_signers_and_the_csv(desk, tmp_path):
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    request = ask(desk, signers=[desk["first"]], docs=desk["docs"][:1])
    services.signature_sign(actor=Actor(user=desk["first"]), request=request)
    document = desk["docs"][0]
    document.refresh_from_db()
    path = tmp_path / "d.pdf"
    path.write_bytes(document_content(document))
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Firmado por Luis Gómez" in text
    assert f"CSV {document.issued.display_code}" in text


def test_parallel_signers_sign_in_any_order(desk):
    request = ask(desk, mode="parallel")
    services.signature_sign(actor=Actor(user=desk["second"]), request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    services.signature_sign(actor=Actor(user=desk["first"]), request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.SIGNED


def test_a_rejection_ends_the_request_and_leaves_the_documents_as_drafts(desk):
    request = ask(desk, mode="parallel")
    with pytest.raises(ValidationFailed):
        services.signature_reject(actor=Actor(user=desk["first"]), request=request, reason=" ")
    services.signature_reject(
        actor=Actor(user=desk["first"]), request=request, reason="Falta el informe jurídico"
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.REJECTED
    steps = {s.signer_id: s for s in request.steps.all()}
    assert steps[desk["first"].pk].reason == "Falta el informe jurídico"
    assert steps[desk["second"].pk].status == StepStatus.CANCELLED
    for document in desk["docs"]:
        document.refresh_from_db()
        assert document.status == DocumentStatus.DRAFT and document.version == 1
    with pytest.raises(Conflict) as err:
        services.signature_sign(actor=Actor(user=desk["second"]), request=request)
    assert err.value.code == "request_closed"
    # The documents may be asked for again once the request is over.
    assert ask(desk).status == RequestStatus.PENDING


def test_bad_requests_are_refused_and_change_nothing(desk, other_entity):
    outsider = employee(other_entity)
    with pytest.raises(ValidationFailed) as err:
        ask(desk, signers=[outsider])
    assert err.value.code == "unknown_signer"
    with pytest.raises(ValidationFailed) as err:
        ask(desk, signers=[desk["first"], desk["first"]])
    assert err.value.code == "duplicate_signer"
    text_doc = document_create(
        actor=desk["handler"], entity=desk["entity"], title="Nota", file_name="nota.txt",
        content=b"texto plano", document_type="TD99",
    )  # fmt: skip
    with pytest.raises(ValidationFailed) as err:
        ask(desk, docs=[text_doc])
    assert err.value.code == "not_a_pdf"
    request = ask(desk, signers=[desk["first"]])
    with pytest.raises(Conflict) as err:
        ask(desk)
    assert err.value.code == "signature_pending"
    # A signer who is not in the request, and signing twice.
    with pytest.raises(PermissionDenied) as err:
        services.signature_sign(actor=Actor(user=desk["second"]), request=request)
    assert err.value.code == "not_a_signer"
    services.signature_sign(actor=Actor(user=desk["first"]), request=request)
    with pytest.raises(Conflict) as err:
        services.signature_sign(actor=Actor(user=desk["first"]), request=request)
    assert err.value.code in ("already_signed", "request_closed")
    # Signing an already signed (final) version is refused.
    with pytest.raises(Conflict) as err:
        ask(desk, signers=[desk["second"]])
    assert err.value.code == "already_signed"
    assert DocumentSignature.objects.count() == 2


def test_without_a_usable_seal_signing_fails_cleanly_and_leaves_no_files(desk, settings):
    import os

    request = ask(desk, signers=[desk["first"]])
    entity = desk["entity"]
    entity.seal_certificate_path = "/nonexistent/seal.p12"
    entity.save(update_fields=["seal_certificate_path"])
    media = settings.MEDIA_ROOT
    before = sorted(os.path.join(d, f) for d, _, fs in os.walk(media) for f in fs)
    with pytest.raises(ValidationFailed) as err:
        services.signature_sign(actor=Actor(user=desk["first"]), request=request)
    assert err.value.code == "seal_unavailable"
    after = sorted(os.path.join(d, f) for d, _, fs in os.walk(media) for f in fs)
    assert after == before
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert not DocumentSignature.objects.exists()


def test_the_api_asks_signs_as_the_signer_and_lists_the_boxes(desk, api_key_for):
    entity = desk["entity"]
    from concejo.cases.models import CaseDocument
    from concejo.cases.tests.factories import case_for

    case = case_for(entity, handler=desk["handler"].user)
    for position, document in enumerate(desk["docs"], start=1):
        CaseDocument.objects.create(
            case=case, document=document, position=position, sha256=document.sha256, added_by="t"
        )
    app = api_key_for(entity, "signatures:write", "signatures:read")
    created = app.post(
        "/api/v1/signatures/requests",
        {"subject": "Decretos", "documents": [str(d.pk) for d in desk["docs"]],
         "signers": [desk["first"].username], "mode": "sequential", "case": str(case.pk)},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.json()
    request_id = created.json()["id"]
    # The application is not the signer.
    refused = app.post(f"/api/v1/signatures/requests/{request_id}/sign", format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "signer_required"
    # The other employee's personal key is not in the request.
    other = api_key_for(entity, "signatures:write", "signatures:read", user=desk["second"])
    refused = other.post(f"/api/v1/signatures/requests/{request_id}/sign", format="json")
    assert refused.status_code == 403 and refused.json()["code"] == "not_a_signer"
    mine = api_key_for(entity, "signatures:read", "signatures:write", user=desk["first"])
    pending = mine.get("/api/v1/signatures/requests?box=pending").json()["results"]
    assert [r["id"] for r in pending] == [request_id]
    signed = mine.post(f"/api/v1/signatures/requests/{request_id}/sign", format="json")
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    assert mine.get("/api/v1/signatures/requests?box=pending").json()["results"] == []
    assert len(mine.get("/api/v1/signatures/requests?box=signed").json()["results"]) == 1
    panel = mine.get(f"/api/v1/documents/{desk['docs'][0].pk}/signatures").json()
    assert panel["status"] == "final" and panel["signatures"][0]["signer_name"] == "Luis Gómez"
    assert case.events.filter(kind="signed").exists()
    # Reading scope only: no writes.
    reader = api_key_for(entity, "signatures:read")
    assert reader.post("/api/v1/signatures/requests", {}, format="json").status_code == 403
    bad = app.post(
        "/api/v1/signatures/requests",
        {"subject": "x", "documents": [str(desk["docs"][0].pk)], "signers": ["nadie"]},
        format="json",
    )
    assert bad.status_code in (400, 409)


def test_the_csv_of_a_signed_document_gives_the_signed_pdf(desk, client):
    request = ask(desk, signers=[desk["first"]], docs=desk["docs"][:1])
    services.signature_sign(actor=Actor(user=desk["first"]), request=request)
    document = desk["docs"][0]
    document.refresh_from_db()
    code = document.issued.display_code
    data = client.get(f"/api/v1/csv/{code}").json()
    assert data["title"] == document.title
    content = client.get(f"/api/v1/csv/{code}/content").content
    assert hashlib.sha256(content).hexdigest() == document.sha256


def test_a_csv_looked_up_between_signatures_serves_the_final_version_afterwards(desk, client):
    request = ask(desk, docs=desk["docs"][:1])
    services.signature_sign(actor=Actor(user=desk["first"]), request=request)
    document = desk["docs"][0]
    document.refresh_from_db()
    code = document.issued.display_code
    halfway = client.get(f"/api/v1/csv/{code}/content").content
    assert hashlib.sha256(halfway).hexdigest() == document.sha256
    services.signature_sign(actor=Actor(user=desk["second"]), request=request)
    document.refresh_from_db()
    final = client.get(f"/api/v1/csv/{code}/content").content
    assert (
        hashlib.sha256(final).hexdigest() == document.sha256 != hashlib.sha256(halfway).hexdigest()
    )


def test_a_document_in_a_closed_index_is_not_signed(desk):
    from concejo.cases.models import CaseDocument
    from concejo.cases.tests.factories import case_for

    case = case_for(desk["entity"])
    document = desk["docs"][0]
    CaseDocument.objects.create(case=case, document=document, position=1, sha256=document.sha256)
    request = ask(desk, signers=[desk["first"]], docs=[document])
    type(case).objects.filter(pk=case.pk).update(index_closed_at=timezone.now())
    with pytest.raises(Conflict) as err:
        services.signature_sign(actor=Actor(user=desk["first"]), request=request)
    assert err.value.code == "case_closed"
    with pytest.raises(Conflict):
        ask(desk, signers=[desk["second"]], docs=[document])


def test_a_failure_on_a_later_document_removes_the_versions_already_stored(
    desk, settings, monkeypatch
):
    import os

    request = ask(desk, signers=[desk["first"]])
    real = services.signature_backend()
    signed = []

    class SecondFails:
        name = real.name

        def sign_pdf(self, **kwargs):
            if signed:
                raise ValidationFailed("El servicio de firma no responde.", code="signer_down")
            signed.append(True)
            return real.sign_pdf(**kwargs)

    monkeypatch.setattr(services, "signature_backend", SecondFails)
    media = settings.MEDIA_ROOT
    before = sorted(os.path.join(d, f) for d, _, fs in os.walk(media) for f in fs)
    with pytest.raises(ValidationFailed) as err:
        services.signature_sign(actor=Actor(user=desk["first"]), request=request)
    assert err.value.code == "signer_down"
    assert signed == [True]  # the first document's signed version was stored, then removed
    after = sorted(os.path.join(d, f) for d, _, fs in os.walk(media) for f in fs)
    assert after == before
    assert not DocumentSignature.objects.exists()
