"""Account pages that the admin does not provide: the lockout page and the second factor."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout, user_login_failed
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from apps.accounts import two_factor
from apps.accounts.forms import CodeForm
from apps.core.qr import qr_svg


def locked_out(request, credentials=None, *args, **kwargs):
    """Shown by django-axes instead of the login form while a username/address pair is locked."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def _next_url(request: HttpRequest) -> str:
    wanted = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME, "")
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return "/"


def _credentials(request: HttpRequest) -> dict:
    return {"username": request.user.get_username()}


def _refused_code(request: HttpRequest) -> HttpResponse | None:
    """A wrong code counts as a failed sign-in (django-axes): past the limit, signed out and locked."""
    user_login_failed.send(sender=__name__, credentials=_credentials(request), request=request)
    if getattr(request, "axes_locked_out", False):
        logout(request)
        return locked_out(request)
    return None


@login_required
def verify(request: HttpRequest) -> HttpResponse:
    """The page "Nhập mã xác thực": the code from the authenticator app (or a recovery code) after the password."""
    step = two_factor.refresh_step(request) if request.method == "GET" else two_factor.pending_step(request)
    if step != two_factor.VERIFY:
        return redirect(_next_url(request))
    if AxesProxyHandler.is_locked(request, _credentials(request)):
        logout(request)
        return locked_out(request)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            accepted = two_factor.verify(request, form.cleaned_data["code"])
        except two_factor.Throttled:
            form.add_error("code", _("Too many wrong codes in a row. Wait a minute, then enter the newest code."))
        else:
            if accepted:
                left = two_factor.recovery_codes_left(request.user)
                if left <= 3:
                    warning = ngettext(
                        "Only %(count)d recovery code left: make new ones on the account security page.",
                        "Only %(count)d recovery codes left: make new ones on the account security page.",
                        left,
                    )
                    messages.warning(request, warning % {"count": left})
                return redirect(_next_url(request))
            refused = _refused_code(request)
            if refused is not None:
                return refused
            form.add_error("code", _("This code is not right, or has already been used. Enter the newest code."))
    context = {
        "form": form,
        "next": _next_url(request),
        "title": _("Enter verification code"),
        "second_factor_pending": True,
    }
    return render(request, "accounts/verify.html", context)


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator app: scan the QR code (or type the key), confirm with a code, keep recovery codes."""
    replacing = two_factor.authenticator_of(request.user) is not None
    # A new phone replaces the old one only in a session that has given a code (or a recovery code).
    if replacing and not request.user.is_verified():
        return redirect("accounts:security")
    form = CodeForm(request.POST or None, recovery_allowed=False)
    if form.is_valid():
        codes = two_factor.confirm_enrolment(request, form.cleaned_data["code"])
        if codes is not None:
            return _show_recovery_codes(request, codes, next_url=_next_url(request))
        form.add_error("code", _("This code is not right. Check the phone's clock and enter the newest code."))
    device = two_factor.pending_device(request)
    context = {
        "form": form,
        "qr": qr_svg(device.config_url, css_class="qr enrol-qr"),
        "secret": two_factor.secret_for_typing(device),
        "required": two_factor.is_required_for(request.user),
        "replacing": replacing,
        "next": _next_url(request),
        "title": _("Set up two-step sign-in"),
        # Until it is set up, the header offers no page the middleware would refuse.
        "second_factor_pending": two_factor.pending_step(request) == two_factor.ENROL,
    }
    return render(request, "accounts/enrol.html", context)


def _show_recovery_codes(request: HttpRequest, codes: list[str], *, next_url: str) -> HttpResponse:
    context = {"codes": [two_factor.shown(code) for code in codes], "next": next_url, "title": _("Recovery codes")}
    response = render(request, "accounts/recovery_codes.html", context)
    # Shown once: never kept by the browser's cache or offered again by "back".
    response["Cache-Control"] = "no-store"
    return response


@login_required
def security(request: HttpRequest) -> HttpResponse:
    """The page "Bảo mật tài khoản": whether the second factor is on, recovery codes left, how to change it."""
    device = two_factor.authenticator_of(request.user)
    context = {
        "device": device,
        "codes_left": two_factor.recovery_codes_left(request.user) if device else 0,
        "required": two_factor.is_required_for(request.user),
        "title": _("Account security"),
    }
    return render(request, "accounts/security.html", context)


@login_required
@require_POST
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes in place of the old ones, for someone whose session passed the second factor."""
    if two_factor.authenticator_of(request.user) is None or not request.user.is_verified():
        return redirect("accounts:security")
    codes = two_factor.new_recovery_codes(request.user)
    return _show_recovery_codes(request, codes, next_url="")
