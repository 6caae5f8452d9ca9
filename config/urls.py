from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from triage import webhooks

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    # Email providers post inbound mail here (Mailgun, Postmark, SendGrid, ...).
    path("webhooks/anymail/", include(webhooks)),
    path("", include("triage.urls")),
]
