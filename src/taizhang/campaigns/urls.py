from django.urls import path

from taizhang.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("campaigns/", views.campaign_list, name="list"),
    path("campaigns/<slug:code>/", views.campaign_home, name="home"),
    path("campaigns/<slug:code>/contact-points/", views.contact_points, name="contact_points"),
    path("campaigns/<slug:code>/visits/new/", views.visit_new, name="visit_new"),
    path("campaigns/<slug:code>/study/", views.study, name="study"),
    path("campaigns/<slug:code>/reflections/new/", views.reflection_new, name="reflection_new"),
    path("campaigns/<slug:code>/meetings/", views.meetings, name="meetings"),
    path("campaigns/<slug:code>/documents/", views.documents, name="documents"),
    path("visits/<int:visit_id>/", views.visit_detail, name="visit"),
    path("study/<int:session_id>/", views.study_session, name="study_session"),
    path("reflections/<int:reflection_id>/", views.reflection_detail, name="reflection"),
    path("meetings/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("meetings/items/<int:item_id>/problem/", views.meeting_item_problem, name="item_problem"),
    path("documents/<int:document_id>/", views.document_detail, name="document"),
    path("documents/<int:document_id>/diff/", views.document_diff, name="document_diff"),
]
