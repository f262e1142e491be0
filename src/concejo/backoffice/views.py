"""The employees' desk."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from concejo.organization import selectors as organization


@login_required
def home(request):
    return render(
        request,
        "backoffice/home.html",
        {"memberships": organization.memberships_for_user(request.user)},
    )
