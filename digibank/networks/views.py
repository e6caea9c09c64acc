from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from digibank.lib.forms import ModelForm

from . import selectors, services
from .access import login_view, staff_view
from .middleware import SESSION_KEY
from .models import Network


@require_POST
@login_view
def network_switch(request: HttpRequest) -> HttpResponse:
    """Make another of the user's networks the current one."""
    membership = selectors.membership_for_user(user=request.user, network_id=request.POST.get("network"))
    if membership is None:
        messages.error(request, _("You are not a member of that network."))
    else:
        request.session[SESSION_KEY] = membership.network_id
        messages.success(request, _("You are now working in %(network)s.") % {"network": membership.network})
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = "core:home"
    return redirect(next_url)


@login_view
def no_network(request: HttpRequest) -> HttpResponse:
    """Shown to a signed-in user who belongs to no network (yet)."""
    if request.membership is not None:
        return redirect("core:home")
    return render(request, "networks/no_network.html")


class NetworkSettingsForm(ModelForm):
    class Meta:
        model = Network
        fields = ["name", "city", "contact_email", "contact_phone", "require_two_factor"]
        labels = {"require_two_factor": gettext_lazy("Two-factor authentication mandatory for every member")}


@staff_view("network.manage")
def network_settings(request: HttpRequest) -> HttpResponse:
    network = request.network
    form = NetworkSettingsForm(request.POST or None, instance=network)
    if request.method == "POST" and form.is_valid():
        services.network_update(network=network, actor=request.user, data=form.cleaned_data)
        messages.success(request, _("The network settings are saved."))
        return redirect("networks:settings")
    members = selectors.members_of(network=network)
    return render(request, "networks/settings.html", {"form": form, "members": members})
