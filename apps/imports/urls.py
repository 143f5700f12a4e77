from django.urls import path

from apps.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.job_list, name="list"),
    path("new/<slug:kind>/", views.upload, name="upload"),
    path("template/<slug:kind>/", views.template, name="template"),
    path("export/<slug:kind>.<slug:extension>", views.export, name="export"),
    path("<int:pk>/", views.job_detail, name="job"),
    path("<int:pk>/status.json", views.job_status, name="status"),
    path("<int:pk>/confirm/", views.confirm, name="confirm"),
    path("<int:pk>/sheet/", views.choose_sheet, name="sheet"),
    path("<int:pk>/restart/", views.restart, name="restart"),
    path("<int:pk>/rejected.xlsx", views.rejected_rows, name="rejected"),
]
