from django.urls import path

from .views import appointments, directory, exports, figures, helpdesk, shifts

app_name = "digipunten"

urlpatterns = [
    path("", directory.digipunt_list, name="list"),
    path("new/", directory.digipunt_create, name="create"),
    path("<int:pk>/", directory.digipunt_detail, name="detail"),
    path("<int:pk>/edit/", directory.digipunt_edit, name="edit"),
    path("<int:pk>/hours/", directory.digipunt_hours, name="hours"),
    path("<int:pk>/sessions/new/", directory.session_create, name="session_create"),
    path("<int:pk>/visitors/", helpdesk.visitor_add, name="visitor_add"),
    path("sessions/<int:pk>/", directory.session_edit, name="session_edit"),
    path("closures/", directory.network_closures, name="closures"),
    path("themes/", directory.theme_list, name="themes"),
    path("themes/<int:pk>/", directory.theme_edit, name="theme_edit"),
    path("help/", helpdesk.register, name="help"),
    path("help/contacts/", helpdesk.contact_list, name="contacts"),
    path("help/contacts/export/", exports.contact_list_export, name="contacts_export"),
    path("help/<int:pk>/undo/", helpdesk.undo, name="undo"),
    path("shifts/", shifts.board, name="shifts"),
    path("shifts/signup/", shifts.signup, name="shift_signup"),
    path("shifts/withdraw/", shifts.withdraw, name="shift_withdraw"),
    path("appointments/", appointments.appointment_list, name="appointments"),
    path("appointments/slots/", appointments.slot_list, name="slots"),
    path("appointments/book/", appointments.book, name="book"),
    path("appointments/letters/", appointments.letters, name="letters"),
    path("appointments/<int:pk>/", appointments.appointment_detail, name="appointment"),
    path("appointments/<int:pk>/cancel/", appointments.appointment_cancel, name="appointment_cancel"),
    path("appointments/<int:pk>/outcome/", appointments.appointment_outcome, name="appointment_outcome"),
    path("figures/", figures.figures, name="figures"),
    path("figures/export/", figures.figures_export, name="figures_export"),
]
