"""The sede's verification page (/verificar/): anyone checks a CSV for free."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render

from concejo.core.csv_codes import format_csv_code, normalise_csv_code
from concejo.core.filetypes import extension_for
from concejo.core.throttling import rate_allowed
from concejo.verification.http import issued_download
from concejo.verification.selectors import document_by_csv
from concejo.verification.services import document_content


def _allowed(request) -> tuple[bool, int | None]:
    return rate_allowed(request, "csv")


def _too_many(request, wait):
    response = render(
        request, "verification/verify.html", {"throttled": True, "wait": wait}, status=429
    )
    response["Retry-After"] = str(wait)
    return response


def verify(request):
    code = request.GET.get("csv", "").strip()
    if not code:
        return render(request, "verification/verify.html", {})
    normalised = normalise_csv_code(code)
    if normalised is None:
        allowed, wait = _allowed(request)
        if not allowed:
            return _too_many(request, wait)
        return render(
            request, "verification/verify.html", {"code": code, "not_found": True}, status=404
        )
    return redirect("verification:document", code=format_csv_code(normalised))


def document(request, code: str):
    allowed, wait = _allowed(request)
    if not allowed:
        return _too_many(request, wait)
    found = document_by_csv(code)
    if found is None:
        return render(
            request, "verification/verify.html", {"code": code, "not_found": True}, status=404
        )
    document_content(found)
    return render(
        request, "verification/verify.html", {"document": found, "code": found.display_code}
    )


def download(request, code: str):
    allowed, wait = _allowed(request)
    if not allowed:
        return _too_many(request, wait)
    found = document_by_csv(code)
    if found is None:
        raise Http404
    return issued_download(found, f"{found.csv_code}.{extension_for(found.mime_type)}")
