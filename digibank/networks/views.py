"""Network switch, network settings and the network's members (coordinators)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from digibank.lib.forms import add_errors

from . import selectors, services
from .access import login_view, staff_view
from .forms import MemberAddExistingForm, MemberInviteForm, MembershipForm, NetworkSettingsForm
from .middleware import SESSION_KEY
from .models import Membership, MembershipInvitation


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


@staff_view("network.manage")
def network_settings(request: HttpRequest) -> HttpResponse:
    network = request.network
    form = NetworkSettingsForm(request.POST or None, instance=network)
    if request.method == "POST" and form.is_valid():
        services.network_update(network=network, actor=request.user, data=form.cleaned_data)
        messages.success(request, _("The network settings are saved."))
        return redirect("networks:settings")
    members = selectors.members_of(network=network)
    invitations = selectors.pending_invitations(network=network)
    context = {"form": form, "members": members, "invitations": invitations}
    return render(request, "networks/settings.html", context)


def _back_to_members(request: HttpRequest, changed: Membership) -> HttpResponse:
    """To the member list — or home, when coordinators just took away their own access to it."""
    if changed.user_id == request.user.pk and not changed.has("network.manage"):
        return redirect("core:home")
    return redirect("networks:settings")


@staff_view("network.manage")
def member_invite(request: HttpRequest) -> HttpResponse:
    """Create an account for someone new; they get an e-mail to choose their password."""
    form = MemberInviteForm(request.POST or None, network=request.network)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.member_invite(
                network=request.network,
                actor=request.user,
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                role=data["role"],
                organisation=data["organisation"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is added. We sent an e-mail to %(email)s to choose a password.")
                % {"name": membership.user, "email": membership.user.email},
            )
            return redirect("networks:settings")
    return render(request, "networks/member_form.html", {"form": form, "mode": "invite"})


@staff_view("network.manage")
def member_add(request: HttpRequest) -> HttpResponse:
    """Invite someone who already has an account on this platform. Whether the username exists
    is never shown: its owner gets an e-mail and joins by accepting."""
    form = MemberAddExistingForm(request.POST or None, network=request.network)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation = services.member_add_existing(
                network=request.network,
                actor=request.user,
                username=data["username"],
                role=data["role"],
                organisation=data["organisation"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "If there is an account with the username %(username)s, its owner got an e-mail "
                    "with your invitation. They appear among the members once they accept."
                )
                % {"username": invitation.username},
            )
            return redirect("networks:settings")
    return render(request, "networks/member_form.html", {"form": form, "mode": "add"})


@require_POST
@staff_view("network.manage", model=MembershipInvitation)
def invitation_withdraw(request: HttpRequest, invitation: MembershipInvitation) -> HttpResponse:
    services.invitation_withdraw(invitation=invitation, actor=request.user)
    messages.success(
        request, _("The invitation for %(username)s is withdrawn.") % {"username": invitation.username}
    )
    return redirect("networks:settings")


@login_view
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The e-mailed link: the invited person, signed in with the invited account, accepts or
    declines. Any other account, or a used, withdrawn or expired link, gets "not found"."""
    found = services.invitation_for_link(token=token, user=request.user)
    if found is None:
        raise Http404(_("This invitation is not valid (any more) for this account."))
    if request.method == "POST":
        if request.POST.get("answer") == "accept":
            try:
                membership = services.invitation_accept(invitation=found, user=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
                return redirect("core:home")
            request.session[SESSION_KEY] = membership.network_id
            messages.success(
                request, _("You are now working in %(network)s.") % {"network": membership.network}
            )
            return redirect("core:home")
        if request.POST.get("answer") == "decline":
            services.invitation_decline(invitation=found, user=request.user)
            messages.success(request, _("You declined the invitation."))
            return redirect("core:home")
        messages.error(request, _("Choose whether to accept or decline the invitation."))
    return render(request, "networks/invitation.html", {"invitation": found})


@staff_view("network.manage", model=Membership)
def member_edit(request: HttpRequest, membership: Membership) -> HttpResponse:
    initial = {"role": membership.role, "organisation": membership.organisation_id}
    form = MembershipForm(
        request.POST or None,
        initial=initial,
        network=request.network,
        current_organisation_id=membership.organisation_id,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=membership,
                actor=request.user,
                role=form.cleaned_data["role"],
                organisation=form.cleaned_data["organisation"],
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The role of %(name)s is saved.") % {"name": membership.user})
            return _back_to_members(request, membership)
    context = {
        "form": form,
        "member": membership,
        "invitation_pending": not membership.user.has_usable_password(),
        "locked_out": services.member_locked_out(membership=membership),
    }
    return render(request, "networks/member_edit.html", context)


@require_POST
@staff_view("network.manage", model=Membership)
def member_set_active(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Deactivate or reactivate a member; POST ``active`` = 0 or 1 (an empty POST changes nothing)."""
    wanted = request.POST.get("active")
    if wanted not in {"0", "1"}:
        messages.error(request, _("Choose whether to deactivate or reactivate the member."))
        return redirect("networks:member_edit", pk=membership.pk)
    try:
        services.membership_set_active(membership=membership, actor=request.user, is_active=wanted == "1")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("networks:member_edit", pk=membership.pk)
    if wanted == "1":
        messages.success(request, _("%(name)s is active again.") % {"name": membership.user})
    else:
        messages.success(
            request, _("%(name)s no longer has access to this network.") % {"name": membership.user}
        )
    return _back_to_members(request, membership)


@require_POST
@staff_view("network.manage", model=Membership)
def member_unlock(request: HttpRequest, membership: Membership) -> HttpResponse:
    """Let a member who typed a wrong password too often log in again."""
    services.member_unlock(membership=membership, actor=request.user)
    messages.success(request, _("%(name)s can log in again.") % {"name": membership.user})
    return redirect("networks:member_edit", pk=membership.pk)


@require_POST
@staff_view("network.manage", model=Membership)
def member_invite_again(request: HttpRequest, membership: Membership) -> HttpResponse:
    if services.member_send_invitation_again(membership=membership, actor=request.user):
        messages.success(request, _("We sent the e-mail to choose a password again."))
    else:
        messages.error(request, _("This member already chose a password or has no e-mail address."))
    return redirect("networks:member_edit", pk=membership.pk)
