"""Log-in (with optional two-factor), log-out, password reset, profile."""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from digibank.networks.access import login_view, public_view

login = public_view(
    auth_views.LoginView.as_view(template_name="accounts/login.html", redirect_authenticated_user=True)
)
logout = public_view(auth_views.LogoutView.as_view())


@login_view
def profile(request: HttpRequest) -> HttpResponse:
    memberships = request.user.memberships.active().select_related("network", "organisation")
    return render(request, "accounts/profile.html", {"memberships": memberships})
