from django.urls import path

from taizhang.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.urge_desk, name="urge_desk"),
    path("problems/<int:problem_id>/urge/", views.urge_issue, name="urge_issue"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:notice_id>/", views.notice_detail, name="notice"),
    path("extensions/", views.extension_queue, name="extensions"),
    path("problems/<int:problem_id>/extension/", views.extension_request, name="extension_request"),
    path("problems/<int:problem_id>/extension/decide/", views.extension_decide, name="extension_decide"),
    path("look-backs/", views.look_back_queue, name="look_backs"),
    path("look-backs/<int:look_back_id>/", views.look_back_record, name="look_back_record"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notification_read, name="notification_read"),
]
