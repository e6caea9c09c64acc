"""Reads about partner organisations and their contact people. Always scoped to a membership."""

from django.db.models import Count, QuerySet
from django.http import Http404

from .models import ContactPerson, Organisation, OrganisationType


def organisation_list(*, membership, type: str = "") -> QuerySet[Organisation]:
    """The network's organisations with their number of contact people (one query).

    An unknown ``type`` is ignored rather than an error: it comes from a URL anyone can edit.
    """
    qs = Organisation.objects.visible_to(membership).annotate(contact_count=Count("contacts"))
    if type in OrganisationType.values:
        qs = qs.filter(type=type)
    return qs.order_by("name", "pk")


def contacts_of(*, organisation: Organisation) -> QuerySet[ContactPerson]:
    return ContactPerson.objects.in_network(organisation.network_id).filter(organisation=organisation)


def contact_get(*, membership, organisation: Organisation, contact_id) -> ContactPerson:
    """A contact person of ``organisation`` visible to ``membership``, or 404.

    The id comes from POST data: it is looked up through the scoped queryset *and* the
    parent organisation, so an id of another organisation or network is simply not found.
    """
    try:
        return (
            ContactPerson.objects.visible_to(membership)
            .filter(organisation=organisation)
            .get(pk=int(contact_id))
        )
    except (ContactPerson.DoesNotExist, TypeError, ValueError) as exc:
        raise Http404 from exc
