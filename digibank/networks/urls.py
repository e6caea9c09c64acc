from django.urls import path

from . import views

app_name = "networks"

urlpatterns = [
    path("switch/", views.network_switch, name="switch"),
    path("none/", views.no_network, name="none"),
    path("settings/", views.network_settings, name="settings"),
    path("settings/members/invite/", views.member_invite, name="member_invite"),
    path("settings/members/add/", views.member_add, name="member_add"),
    path("settings/members/<int:pk>/", views.member_edit, name="member_edit"),
    path("settings/members/<int:pk>/active/", views.member_set_active, name="member_set_active"),
    path("settings/members/<int:pk>/invite-again/", views.member_invite_again, name="member_invite_again"),
    path("settings/members/<int:pk>/unlock/", views.member_unlock, name="member_unlock"),
    path("settings/invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
]
