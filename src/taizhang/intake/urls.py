from django.urls import path

from taizhang.intake import views

app_name = "intake"

urlpatterns = [
    path("submit/", views.submit, name="submit"),
    path("submit/suggest/", views.suggest, name="suggest"),
    path("r/", views.lookup, name="lookup"),
    path("r/<str:code>/", views.receipt, name="receipt"),
    path("r/<str:code>/add/", views.receipt_add, name="receipt_add"),
    path("r/<str:code>/withdraw/", views.receipt_withdraw, name="receipt_withdraw"),
    path("r/<str:code>/rate/", views.receipt_rate, name="receipt_rate"),
    path("r/<str:code>/object/", views.receipt_object, name="receipt_object"),
    path("r/<str:code>/photos/<int:photo_id>/", views.photo, name="receipt_photo"),
    path("r/<str:code>/photos/<int:photo_id>/thumb/", views.photo, {"thumb": True}, name="receipt_thumb"),
    path("photos/<int:photo_id>/", views.photo, name="photo"),
    path("photos/<int:photo_id>/thumb/", views.photo, {"thumb": True}, name="thumb"),
    path("my/opinions/", views.mine, name="mine"),
    path("problems/<int:problem_id>/me-too/", views.me_too, name="me_too"),
    path("triage/", views.triage, name="triage"),
    path("triage/<int:opinion_id>/", views.triage_opinion, name="triage_opinion"),
    path("triage/returned/<int:problem_id>/", views.reassign, name="reassign"),
    path("places/<slug:code>/qr.png", views.place_qr, name="place_qr"),
    path("places/<slug:code>/poster.<str:kind>", views.place_poster, name="place_poster"),
]
