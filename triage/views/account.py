"""A user's own sign-in: the code page after the password, setting up or turning off
two-factor sign-in, and the password reset pages (Django's views with our templates)."""

from __future__ import annotations

import base64
from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_ratelimit.core import get_usage

from triage import two_factor
from triage.forms import CodeForm
from triage.services import accounts

WRONG_CODE = "That code is not right, or it was used already: enter the one your app shows now."
THROTTLED = "Too many wrong codes in a row: wait a minute, then enter the one your app shows."


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return settings.LOGIN_REDIRECT_URL


@require_http_methods(["GET", "POST"])
def login_code(request: HttpRequest) -> HttpResponse:
    """The second step of signing in, for a user with an authenticator."""
    if request.user.is_verified() or not accounts.has_two_factor(request.user):
        return redirect(_next(request))
    form = CodeForm(request.POST or None)
    context = {"form": form, "next": _next(request)}
    if request.method == "GET":
        return render(request, "registration/login_code.html", context)
    if form.is_valid():
        # Asked before trying: while throttled, even the right code is refused.
        throttled = accounts.throttled(request.user)
        device = accounts.check_code(user=request.user, token=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", THROTTLED if throttled else WRONG_CODE)
    return render(request, "registration/login_code.html", context, status=400)


def _qr_data_uri(text: str) -> str:
    """The QR code as an SVG data: URI (the CSP allows data: images, no inline markup)."""
    svg = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def _setup_context(request: HttpRequest, form: CodeForm) -> dict:
    device = accounts.pending_device(request.user)
    return {
        "form": form,
        "enabled": False,
        "qr": _qr_data_uri(device.config_url),
        "secret": b32encode(device.bin_key).decode(),
        "required": two_factor.required(request.user),
    }


@require_http_methods(["GET", "POST"])
def two_factor_page(request: HttpRequest) -> HttpResponse:
    """GET: on (with a way to turn it off) or how to set it up. POST: confirm the setup
    with a code, or turn it off with one."""
    enabled = accounts.has_two_factor(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "GET":
        if enabled:
            context = {"enabled": True, "form": form, "required": two_factor.required(request.user)}
            return render(request, "registration/two_factor.html", context)
        return render(request, "registration/two_factor.html", _setup_context(request, form))
    if enabled:
        return _turn_off(request, form)
    if form.is_valid():
        device = accounts.confirm_two_factor(user=request.user, token=form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)  # this session has just proven it holds the app
            messages.success(request, "Two-factor sign-in is on: we'll ask for a code each time.")
            return redirect("two-factor")
        form.add_error("code", WRONG_CODE)
    return render(
        request, "registration/two_factor.html", _setup_context(request, form), status=400
    )


def _turn_off(request: HttpRequest, form: CodeForm) -> HttpResponse:
    context = {"enabled": True, "form": form, "required": two_factor.required(request.user)}
    if context["required"]:
        form.add_error(None, "Staff accounts must keep two-factor sign-in on.")
    elif form.is_valid():
        throttled = accounts.throttled(request.user)
        if accounts.disable_two_factor(user=request.user, token=form.cleaned_data["code"]):
            messages.success(request, "Two-factor sign-in is off.")
            return redirect("two-factor")
        form.add_error("code", THROTTLED if throttled else WRONG_CODE)
    return render(request, "registration/two_factor.html", context, status=400)


def reset_rate(group: str, request: HttpRequest) -> str:
    return settings.PASSWORD_RESET_RATE_LIMIT  # read per request, so tests can change it


class PasswordResetView(auth_views.PasswordResetView):
    """Django's, with the link built on SITE_URL (like every link in our mail) rather than
    whatever Host the request came with, and a limit per client address so the form cannot
    be used to flood someone's inbox (counted in the database cache, like the contact page)."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def post(self, request, *args, **kwargs):
        usage = get_usage(
            request, group="accounts.password_reset", key="ip", rate=reset_rate, increment=True
        )
        if usage is not None and usage["should_limit"]:
            form = self.get_form()
            form.add_error(None, "Too many reset requests from your address: try again later.")
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SITE_URL.rstrip("/")}
        return super().form_valid(form)
