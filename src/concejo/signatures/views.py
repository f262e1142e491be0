"""The sede's page to check the signatures of a PDF."""

from django.shortcuts import render

from concejo.core.errors import ApplicationError
from concejo.signatures.verify import pdf_signatures_verify


def verify_signatures(request):
    context = {}
    if request.method == "POST":
        upload = request.FILES.get("fichero")
        if upload is None:
            context["error"] = "Elija el PDF firmado que quiere comprobar."
        else:
            try:
                context["reports"] = pdf_signatures_verify(upload.read())
                context["name"] = upload.name
            except ApplicationError as exc:
                context["error"] = exc.message
    return render(
        request, "signatures/verify.html", context, status=400 if "error" in context else 200
    )
