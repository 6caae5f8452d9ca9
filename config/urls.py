from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from triage import webhooks
from triage.views import account, contact, health

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    # After the password, for users with two-factor sign-in (triage/two_factor.py).
    path("login/code/", account.login_code, name="login-code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/two-factor/", account.two_factor_page, name="two-factor"),
    # Password reset by email (Django's views, our templates under templates/registration/).
    path("password-reset/", account.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    # Email providers post inbound mail here (Mailgun, Postmark, SendGrid, ...).
    path("webhooks/anymail/", include(webhooks)),
    # Public: candidates write to us here, no account needed.
    path("contact/", contact.contact_page, name="contact"),
    path("contact/thanks/", contact.contact_thanks, name="contact-thanks"),
    # Public: a load balancer's or uptime check's question, answered without candidate data.
    path("healthz", health.healthz, name="healthz"),
    # The REST API for the team's other tools (triage/api/), its schema and docs.
    path("api/", include("triage.api.urls")),
    path("", include("triage.urls")),
]

# A contact post too large to read gets the form back with the reason (not a bare 400).
handler400 = contact.bad_request
