from django.urls import path

from taizhang.ledger import views

app_name = "ledger"

urlpatterns = [
    path("ledger/", views.ledger, name="ledger"),
    path("problems/<int:problem_id>/", views.problem_detail, name="problem"),
    path("problems/<int:problem_id>/support/", views.support, name="support"),
    path("evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
]
