from django.urls import path

from . import exports, views
from .intake import views as intake_views

app_name = "referrals"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("export/", exports.request_list_export, name="list_export"),
    path("triage/", views.triage, name="triage"),
    path("new/", views.request_create, name="create"),
    path("inbox/", views.inbox, name="inbox"),
    path("outbox/", views.outbox, name="outbox"),
    path("work/", views.my_work, name="work"),
    path("figures/", views.figures, name="figures"),
    path("figures/export/", views.figures_export, name="figures_export"),
    path("intake/", intake_views.intake_settings, name="intake"),
    path("intake/caps/set/", intake_views.organisation_cap_set, name="cap_set"),
    path("intake/caps/remove/", intake_views.organisation_cap_remove, name="cap_remove"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/assign/", views.request_assign, name="assign"),
    path("<int:pk>/refer/", views.request_refer, name="refer"),
    path("<int:pk>/consent/", views.request_consent, name="consent"),
    path("<int:pk>/close/", views.request_close, name="close"),
    path("<int:pk>/reopen/", views.request_reopen, name="reopen"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral_detail"),
    path("referrals/<int:pk>/status/", views.referral_status, name="referral_status"),
    path("referrals/<int:pk>/note/", views.referral_note, name="referral_note"),
    path("referrals/<int:pk>/follow-up/", views.referral_follow_up, name="referral_follow_up"),
]
