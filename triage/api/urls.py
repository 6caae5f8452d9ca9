"""/api/v1/ and the schema with its docs page (Swagger UI from our own static files)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from triage.api import views

router = DefaultRouter()
router.register("requests", views.RequestViewSet, basename="request")
router.register("candidates", views.CandidateViewSet, basename="candidate")
router.register("replies", views.ReplyViewSet, basename="reply")
router.register("rules", views.RuleViewSet, basename="rule")
router.register("openings", views.OpeningViewSet, basename="opening")

# The docs page is for people in a browser: signed out, they go to the login page (DRF marks
# its views login_not_required, as an API answers 401 rather than redirecting). The page
# loads its script from a URL of its own (the "split" view), so the CSP needs no inline script.
docs = SpectacularSwaggerSplitView.as_view(url_name="api:schema")
docs.login_required = True

app_name = "api"
urlpatterns = [
    path("v1/dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", docs, name="docs"),
]
