"""Log-in (with optional two-factor), log-out, password reset, profile, personal API tokens.

Two-factor log-in: when the user has a confirmed authenticator device, the password step
does NOT open a session. It only remembers, in the anonymous session, who passed the
password; the session is opened by the verify step. So a stolen password alone never gets
past log-in, whether or not the network makes two-factor mandatory.
"""

from __future__ import annotations

import time
from base64 import b32encode
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import activate, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from digibank.networks.access import login_view, public_view, staff_view

from . import forms, selectors, services
from .models import User

PENDING_KEY = "digibank_two_factor_pending"
PENDING_MAX_AGE = 10 * 60  # seconds between the password step and the code
PENDING_MAX_FAILURES = 5  # wrong codes before the password must be given again
LOW_BACKUP_CODES = 3


def _next_url(request: HttpRequest, default: str = "") -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, {request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default or reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(viewname: str, next_url: str) -> str:
    url = reverse(viewname)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _set_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    """The same cookie django.views.i18n.set_language writes; LocaleMiddleware reads it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


def _no_store(response: HttpResponse) -> HttpResponse:
    """For pages showing a secret once (backup codes, a new token): never cached anywhere."""
    add_never_cache_headers(response)
    return response


# --- log-in and log-out -------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if selectors.has_two_factor(user=user):
            self.request.session[PENDING_KEY] = {
                "user": user.pk,
                "backend": user.backend,
                "at": int(time.time()),
                "failures": 0,
            }
            return redirect(_with_next("accounts:two_factor_verify", self.get_success_url()))
        response = super().form_valid(form)
        activate(user.preferred_language)
        return _set_language_cookie(response, user.preferred_language)


login = public_view(LoginView.as_view())
logout = public_view(auth_views.LogoutView.as_view())


def _pending(request: HttpRequest) -> tuple[dict, User] | None:
    """Who passed the password step in this browser and still owes a code, or None."""
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("at", 0) > PENDING_MAX_AGE:
        del request.session[PENDING_KEY]
        return None
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    return (pending, user) if user is not None else None


@public_view
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """Second step of log-in (or of a session that must be verified): an app code or a backup code."""
    next_url = _next_url(request)
    pending = None
    if request.user.is_authenticated:
        user = request.user
        if user.is_verified() or not selectors.has_two_factor(user=user):
            return redirect(next_url)
    else:
        pending = _pending(request)
        if pending is None:
            return redirect(_with_next("accounts:login", next_url))
        user = pending[1]

    form = forms.TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = services.two_factor_match(user=user, code=form.cleaned_data["code"])
        if device is not None:
            response = redirect(next_url)
            if pending is None:
                otp_login(request, device)
            else:
                state, user = pending
                del request.session[PENDING_KEY]
                user.otp_device = device  # django-otp's log-in signal marks the session verified
                auth_login(request, user, backend=state["backend"])
                activate(user.preferred_language)
                _set_language_cookie(response, user.preferred_language)
            if isinstance(device, StaticDevice):
                left = selectors.backup_codes_left(user=user)
                if left <= LOW_BACKUP_CODES:
                    message = ngettext(
                        "You have %(count)s backup code left. Make new ones on your account page.",
                        "You have %(count)s backup codes left. Make new ones on your account page.",
                        left,
                    )
                    messages.warning(request, message % {"count": left})
            return response
        if pending is not None:
            state = pending[0]
            state["failures"] = state.get("failures", 0) + 1
            request.session[PENDING_KEY] = state
            if state["failures"] >= PENDING_MAX_FAILURES:
                del request.session[PENDING_KEY]
                messages.error(request, _("Too many wrong codes. Log in again."))
                return redirect(_with_next("accounts:login", next_url))
        form.add_error(
            "code", _("This code is not correct. Use the code the app shows now, or a backup code.")
        )
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": next_url})


# --- two-factor set-up and management ----------------------------------------------------


def _grouped(text: str, size: int = 4) -> str:
    return " ".join(text[i : i + size] for i in range(0, len(text), size))


@login_view
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Connect an authenticator app: scan the QR code (or type the key), confirm with a code."""
    next_url = _next_url(request, default=reverse("accounts:profile"))
    if selectors.has_two_factor(user=request.user):
        messages.info(request, _("Two-factor authentication is already on for your account."))
        return redirect("accounts:profile")
    device = services.two_factor_setup_device(user=request.user)
    form = forms.NewDeviceCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if services.two_factor_verify_new_device(device=device, code=form.cleaned_data["code"]):
            codes = services.two_factor_confirm(user=request.user, device=device)
            otp_login(request, device)
            messages.success(request, _("Two-factor authentication is on."))
            return _no_store(
                render(request, "accounts/backup_codes.html", {"codes": codes, "next_url": next_url})
            )
        form.add_error("code", _("This code is not correct. Type the code the app shows now."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, border=4, title=_("QR code to scan with your authenticator app")
    )
    context = {
        "form": form,
        "qr_svg": qr_svg,
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "next": next_url,
        "required": bool(selectors.networks_requiring_two_factor(user=request.user)),
    }
    return _no_store(render(request, "accounts/two_factor_setup.html", context))


@require_POST
@login_view
def two_factor_disable(request: HttpRequest) -> HttpResponse:
    """Turn two-factor off; needs a current code and no network that makes it mandatory."""
    user = request.user
    if not selectors.has_two_factor(user=user):
        messages.info(request, _("Two-factor authentication is not on."))
        return redirect("accounts:profile")
    required = selectors.networks_requiring_two_factor(user=user)
    if required:
        messages.error(
            request,
            _("%(network)s makes two-factor authentication mandatory, so you cannot turn it off.")
            % {"network": required[0]},
        )
        return redirect("accounts:profile")
    form = forms.TwoFactorCodeForm(request.POST)
    if form.is_valid() and services.two_factor_match(user=user, code=form.cleaned_data["code"]):
        services.two_factor_disable(user=user)
        messages.success(request, _("Two-factor authentication is off."))
        return redirect("accounts:profile")
    if form.is_valid():
        form.add_error("code", _("This code is not correct."))
    return _render_profile(request, disable_form=form)


@require_POST
@login_view
def two_factor_backup_codes(request: HttpRequest) -> HttpResponse:
    """Replace the backup codes (the old ones stop working); needs a current code."""
    user = request.user
    if not selectors.has_two_factor(user=user):
        messages.info(request, _("Two-factor authentication is not on."))
        return redirect("accounts:profile")
    form = forms.TwoFactorCodeForm(request.POST, prefix="codes")
    if form.is_valid() and services.two_factor_match(user=user, code=form.cleaned_data["code"]):
        codes = services.two_factor_backup_codes_regenerate(user=user)
        return _no_store(
            render(
                request,
                "accounts/backup_codes.html",
                {"codes": codes, "next_url": reverse("accounts:profile")},
            )
        )
    if form.is_valid():
        form.add_error("code", _("This code is not correct."))
    return _render_profile(request, codes_form=form)


# --- profile, language, API tokens ---------------------------------------------------------


def _render_profile(request: HttpRequest, **overrides) -> HttpResponse:
    user = request.user
    two_factor = selectors.has_two_factor(user=user)
    context = {
        "memberships": selectors.memberships_of(user=user),
        "language_form": forms.LanguageForm(initial={"preferred_language": user.preferred_language}),
        "two_factor": two_factor,
        "two_factor_required": selectors.networks_requiring_two_factor(user=user),
        "backup_codes_left": selectors.backup_codes_left(user=user) if two_factor else 0,
        "disable_form": forms.TwoFactorCodeForm(),
        "codes_form": forms.TwoFactorCodeForm(prefix="codes"),
        "tokens": list(selectors.api_tokens_of(user=user, membership=request.membership)),
        "token_form": forms.ApiTokenForm(),
        "new_token": None,
    }
    context.update(overrides)
    return render(request, "accounts/profile.html", context)


@login_view
def profile(request: HttpRequest) -> HttpResponse:
    return _render_profile(request)


@require_POST
@login_view
def language(request: HttpRequest) -> HttpResponse:
    """Save the preferred language and switch the interface to it right away."""
    form = forms.LanguageForm(request.POST)
    if not form.is_valid():
        return _render_profile(request, language_form=form)
    code = form.cleaned_data["preferred_language"]
    services.user_set_language(user=request.user, language=code)
    activate(code)
    messages.success(request, _("Your language is saved."))
    return _set_language_cookie(redirect("accounts:profile"), code)


# Tokens act in the current network, so creating one is a staff action: it needs a membership
# and passes the network's mandatory two-factor check. Any role may hold a token.
@require_POST
@staff_view("home.view")
def api_token_create(request: HttpRequest) -> HttpResponse:
    form = forms.ApiTokenForm(request.POST)
    if not form.is_valid():
        return _render_profile(request, token_form=form)
    token, raw = services.api_token_create(
        user=request.user, network=request.network, name=form.cleaned_data["name"]
    )
    messages.success(request, _("The token “%(name)s” is created.") % {"name": token.name})
    return _no_store(_render_profile(request, new_token=raw, new_token_name=token.name))


@require_POST
@staff_view("home.view")
def api_token_revoke(request: HttpRequest) -> HttpResponse:
    token = selectors.api_token_of(
        user=request.user, membership=request.membership, token_id=request.POST.get("token")
    )
    if token is None:
        messages.error(request, _("That token does not exist or was already revoked."))
    else:
        services.api_token_revoke(token=token)
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:profile")


# --- passwords -----------------------------------------------------------------------------


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is changed."))
        return response


password_change = login_view(PasswordChangeView.as_view())
password_reset = public_view(
    auth_views.PasswordResetView.as_view(
        template_name="accounts/password_reset_form.html",
        email_template_name="accounts/password_reset_email.txt",
        subject_template_name="accounts/password_reset_subject.txt",
        form_class=forms.PasswordResetForm,
        success_url=reverse_lazy("accounts:password_reset_done"),
    )
)
password_reset_done = public_view(
    auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
)
password_reset_confirm = public_view(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="accounts/password_reset_confirm.html",
        form_class=forms.SetPasswordForm,
        success_url=reverse_lazy("accounts:password_reset_complete"),
    )
)
password_reset_complete = public_view(
    auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html")
)
