"""``{% resident_requests resident %}``: a resident's requests and referrals, for the resident page.

Load with ``{% load referral_tags %}``. Scoped like every read (the viewer's membership from
the request in the template context); renders nothing for roles without ``request.view``.
"""

from django import template

from digibank.referrals import selectors

register = template.Library()


@register.inclusion_tag("referrals/_resident_requests.html", takes_context=True)
def resident_requests(context, resident):
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if membership is None or not membership.has("request.view"):
        return {"show": False}
    return {
        "show": True,
        "resident": resident,
        "requests": selectors.resident_requests(membership=membership, resident=resident),
        "can_create": membership.has("request.create"),
    }
