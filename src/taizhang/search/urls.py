from django.urls import path

from taizhang.search import views

app_name = "search"

urlpatterns = [
    path("", views.results, name="results"),
    path("similar/", views.similar, name="similar"),
]
