from django.urls import path

from taizhang.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("kpis/", views.kpis, name="kpis"),
    path("charts/<slug:key>.json", views.chart_data, name="chart"),
    path("ranking/", views.ranking_page, name="ranking"),
    path("expenses/", views.expenses_page, name="expenses"),
    path("expenses/enter/", views.expense_enter, name="expense_enter"),
    path("expenses/import/", views.expense_import_view, name="expense_import"),
    path("report.<str:fmt>", views.report_download, name="report"),
]
