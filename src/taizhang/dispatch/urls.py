from django.urls import path

from taizhang.dispatch import views

app_name = "dispatch"
urlpatterns = [path("", views.status, name="status")]
