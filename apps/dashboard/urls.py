from django.urls import path

from apps.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("export.xlsx", views.dashboard_export, name="export"),
    path("api/summary.json", views.dashboard_json, name="json"),
    path("cdcs/<int:pk>/", views.union, name="union"),
]
