"""Reads for the home pages and the global search. All through scoped querysets."""

from django.db.models import Count

from digibank.figures import FiguresPolicy
from digibank.networks.models import Membership
from digibank.networks.roles import Role
from digibank.organisations.models import Organisation, OrganisationType
from digibank.residents.models import Resident

SEARCH_LIMIT = 50


def search(*, membership, query: str) -> list[Resident]:
    """Residents by name (any order of words) or by postcode. Devices join later."""
    qs = Resident.objects.visible_to(membership).not_erased().matching(query).select_related("district")
    return list(qs.order_by("last_name", "first_name", "pk")[:SEARCH_LIMIT])


def _with_figures(rows: list[dict], policy: FiguresPolicy, key: str = "n") -> list[dict]:
    """Each row's count as a Figure under the policy (a table: secondary suppression too)."""
    cells = policy.counts([row[key] for row in rows])
    return [{**row, key: cell} for row, cell in zip(rows, cells, strict=True)]


def home_context(*, membership) -> dict:
    network = membership.network
    context: dict = {"membership": membership}
    residents = Resident.objects.visible_to(membership).not_erased()
    if membership.role in {Role.SERVICE_DESK, Role.DIGIPUNT_STAFF, Role.PARTNER_WORKER}:
        context["recent_residents"] = list(
            residents.select_related("district").order_by("-created_at", "-pk")[:10]
        )
        context["resident_count"] = residents.count()
    if membership.role == Role.COORDINATOR:
        context["resident_count"] = residents.count()
        context["organisation_count"] = (
            Organisation.objects.in_network(network).filter(is_active=True).count()
        )
        context["members_by_role"] = list(
            Membership.objects.in_network(network)
            .active()
            .values("role")
            .annotate(n=Count("pk"))
            .order_by("role")
        )
        role_labels = dict(Role.choices)
        for row in context["members_by_role"]:
            row["label"] = role_labels.get(row["role"], row["role"])
    if membership.role in {Role.STEERING_VIEWER, Role.COORDINATOR}:
        by_district = (
            Resident.objects.in_network(network)
            .values("district__name")
            .annotate(n=Count("pk"))
            .order_by("district__name")
        )
        policy = FiguresPolicy.for_member(membership)
        context["residents_by_district"] = _with_figures(list(by_district), policy)
        type_labels = dict(OrganisationType.choices)
        context["organisations_by_type"] = _with_figures(
            [
                {**row, "label": type_labels.get(row["type"], row["type"])}
                for row in Organisation.objects.in_network(network)
                .values("type")
                .annotate(n=Count("pk"))
                .order_by("type")
            ],
            policy,
        )
    if membership.organisation_id:
        context["organisation"] = membership.organisation
    return context
