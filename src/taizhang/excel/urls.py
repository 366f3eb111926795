from django.urls import path

from taizhang.excel import views

app_name = "excel"

urlpatterns = [
    path("export/", views.export_ledger, name="export"),
    path("exports/<int:job_id>/", views.export_job, name="export_job"),
    path("exports/<int:job_id>/progress/", views.export_job_progress, name="export_progress"),
    path("exports/<int:job_id>/download/", views.export_download, name="export_download"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:job_id>/", views.import_job, name="import_job"),
    path("import/<int:job_id>/progress/", views.import_progress, name="import_progress"),
    path("opinions/import/", views.import_opinions, name="import_opinions"),
]
