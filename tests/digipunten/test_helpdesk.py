"""The ten-second help registration: two taps for the common case, referrals from the same screen."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from digibank.digipunten import selectors, services
from digibank.digipunten.models import DEFAULT_THEMES, HelpContact, HelpTheme, Outcome, VisitorTally
from digibank.referrals.models import Channel, Request
from digibank.residents.models import Resident, TimelineEntry

from .helpers import buttons, form_data
from .world import make_digipunt

HELP = reverse("digipunten:help")


def contacts(world):
    return HelpContact.objects.in_network(world.leuven).exclude(pk=world.contact.pk)


def theme_page(client, theme, **params):
    response = client.get(HELP, {"theme": theme.pk, **params})
    assert response.status_code == 200
    return response.content.decode()


def test_the_page_shows_a_big_button_per_theme_in_order(world, client_for):
    response = client_for(world.digipunt).get(HELP)
    html = response.content.decode()
    labels = [str(label) for label in DEFAULT_THEMES.values()]
    positions = [html.index(f">{label}</button>") for label in labels]
    assert positions == sorted(positions)
    # A tap on a theme only reads (a GET form): nothing is saved until the outcome is tapped.
    form = html.split('<div class="big-buttons">')[0].rsplit("<form", 1)[1]
    assert 'method="get"' in form


def test_a_theme_then_solved_registers_an_anonymous_contact_with_the_defaults(world, client_for):
    client = client_for(world.digipunt)
    html = theme_page(client, world.theme)
    assert ("outcome", "solved") in buttons(html, "help-form")
    data = form_data(html, "help-form", outcome="solved")
    response = client.post(HELP, data)
    assert response.status_code == 302
    contact = contacts(world).get()
    assert (contact.theme, contact.outcome, contact.minutes) == (world.theme, Outcome.SOLVED, 10)
    assert contact.digipunt == world.dp  # the helper's last used digipunt
    assert contact.resident is None and contact.request is None
    assert contact.registered_by == world.digipunt
    follow = client.get(response["Location"])
    assert "Registered:" in follow.content.decode()


def test_the_defaults_follow_the_helpers_last_digipunt_and_language(world, client_for):
    other = make_digipunt(world.leuven, name="Buurthuis Zuid (test)")
    services.helpcontact_register(
        membership=world.digipunt.memberships.get(),
        actor=world.digipunt,
        digipunt=other,
        theme=world.theme,
        outcome="solved",
        minutes=5,
        language="ar",
    )
    defaults = selectors.helper_defaults(membership=world.digipunt.memberships.get())
    assert (defaults.digipunt, defaults.language, defaults.minutes) == (other, "ar", 10)
    data = form_data(theme_page(client_for(world.digipunt), world.theme), "help-form", outcome="solved")
    assert data["digipunt"] == str(other.pk) and data["language"] == "ar"


def test_without_an_earlier_contact_the_default_is_a_digipunt_of_their_organisation(world):
    own = make_digipunt(world.leuven, name="Zzz Buurtwerk A digipunt", organisation=world.org_a)
    membership = world.coordinator.memberships.get()
    membership.organisation = world.org_a
    assert selectors.helper_defaults(membership=membership).digipunt == own
    membership.organisation = None
    assert selectors.helper_defaults(membership=membership).digipunt == world.dp  # the first by name


def test_minutes_language_place_and_a_resident_can_be_set_under_more(world, client_for):
    client = client_for(world.desk)
    data = form_data(theme_page(client, world.theme), "help-form", outcome="follow_up")
    data.update(minutes_other="25", language="uk", resident=world.resident_desk.pk)
    assert client.post(HELP, data).status_code == 302
    contact = contacts(world).get()
    assert (contact.minutes, contact.language, contact.resident) == (25, "uk", world.resident_desk)
    assert TimelineEntry.objects.filter(resident=world.resident_desk, kind="help_contact").exists()


def test_finding_a_resident_lists_only_residents_the_helper_may_see(world, client_for):
    html = theme_page(client_for(world.desk), world.theme, q="Bosmans")
    assert "Bart Bosmans" in html and "Nobody (anonymous)" in html
    html = theme_page(client_for(world.desk), world.theme, q="Zegers")
    results = html.split('id="resident-results"')[1].split("</div>")[0]
    assert "Zegers" not in results and "Nobody found" in results


def test_a_volunteer_cannot_link_a_resident(world, client_for):
    client = client_for(world.volunteer)
    html = theme_page(client, world.theme)
    assert 'id="help-resident-q"' not in html
    data = form_data(html, "help-form", outcome="solved", resident=world.resident_desk.pk)
    assert client.post(HELP, data).status_code == 302
    assert contacts(world).get().resident is None


def test_a_resident_of_another_network_is_refused_and_nothing_is_saved(world, client_for):
    client = client_for(world.desk)
    data = form_data(
        theme_page(client, world.theme), "help-form", outcome="solved", resident=world.resident_other.pk
    )
    response = client.post(HELP, data)
    assert response.status_code == 200
    assert "form-errors" in response.content.decode()
    assert not contacts(world).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"minutes": "999"}, "Select a valid choice"),
        ({"minutes_other": "600"}, "less than or equal to 480"),
        ({"language": "xx"}, "Select a valid choice"),
        ({"outcome": "maybe"}, "Select a valid choice"),
    ],
)
def test_bad_input_re_renders_with_an_error_and_saves_nothing(world, client_for, change, message):
    client = client_for(world.digipunt)
    data = form_data(theme_page(client, world.theme), "help-form", outcome="solved")
    data.update(change)
    response = client.post(HELP, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not contacts(world).exists()


def test_an_empty_post_saves_nothing(world, client_for):
    response = client_for(world.digipunt).post(HELP, {})
    assert response.status_code == 200
    assert not contacts(world).exists()


def test_a_digipunt_or_theme_of_another_network_is_refused(world, client_for):
    client = client_for(world.digipunt)
    data = form_data(theme_page(client, world.theme), "help-form", outcome="solved")
    for change in ({"digipunt": world.dp_other.pk}, {"theme": world.theme_other.pk}):
        assert client.post(HELP, {**data, **change}).status_code == 200
    assert not contacts(world).exists()


def test_a_theme_no_longer_in_use_has_no_button(world, client_for):
    services.theme_save(network=world.leuven, data={"name": "", "is_active": False}, theme=world.theme)
    html = client_for(world.digipunt).get(HELP).content.decode()
    assert f'name="theme" value="{world.theme.pk}"' not in html


def test_roles_without_the_permission_get_403(world, client_for):
    for actor in (world.partner_a, world.steering, world.provider):
        assert client_for(actor).get(HELP).status_code == 403


def test_the_standard_themes_are_seeded_once_per_network(world):
    services.themes_ensure(network=world.leuven)
    assert HelpTheme.objects.in_network(world.leuven).count() == len(DEFAULT_THEMES)
    assert HelpTheme.objects.in_network(world.other).count() == len(DEFAULT_THEMES) + 1  # + "Zegers thema"


# --- referred: the referrals capability, from the same screen ----------------------------------------


def referral_step(client, world):
    data = form_data(theme_page(client, world.theme), "help-form", outcome="referred")
    response = client.post(HELP, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="ref-needs"' in html
    return html


def test_referred_opens_the_referral_part_and_saves_nothing_yet(world, client_for):
    html = referral_step(client_for(world.digipunt), world)
    assert 'name="new-first_name"' in html
    assert not contacts(world).exists()


def test_a_referral_for_an_existing_resident_registers_the_contact_and_a_request(world, client_for):
    client = client_for(world.digipunt)
    data = form_data(referral_step(client, world), "help-form", outcome="referred")
    data.update(
        {
            "ref-needs": ["device", "skills"],
            "ref-description": "Wil leren mailen",
            "resident": world.resident_desk.pk,
        }
    )
    response = client.post(HELP, data)
    assert response.status_code == 302, response.content.decode()
    contact = contacts(world).get()
    request = contact.request
    assert contact.outcome == Outcome.REFERRED and contact.resident == world.resident_desk
    assert (request.resident, request.channel, request.needs) == (
        world.resident_desk,
        Channel.DIGIPUNT,
        ["device", "skills"],
    )
    assert request.reference in client.get(response["Location"]).content.decode()


def test_a_referral_for_a_new_resident_registers_them_with_the_least_data(world, client_for):
    client = client_for(world.digipunt)
    data = form_data(referral_step(client, world), "help-form", outcome="referred")
    data.update(
        {
            "ref-needs": "internet",
            "new-first_name": "Nadia",
            "new-last_name": "Nieuwkomer",
            "new-birth_year": "1971",
            "new-postcode": "3001",
            "new-phone": "0470 11 22 33",
            "new-legal_basis": "consent",
            "new-consent_date": timezone.localdate().isoformat(),
        }
    )
    assert client.post(HELP, data).status_code == 302
    resident = Resident.objects.in_network(world.leuven).get(last_name="Nieuwkomer")
    assert resident.district == world.district  # filled from the postcode
    assert contacts(world).get().request.resident == resident


def test_a_likely_duplicate_is_shown_before_a_new_resident_is_registered(world, client_for):
    client = client_for(world.desk)
    data = form_data(referral_step(client, world), "help-form", outcome="referred")
    data.update(
        {
            "ref-needs": "device",
            "new-first_name": "Bart",
            "new-last_name": "Bosmans",
            "new-birth_year": "1960",
            "new-postcode": "3000",
            "new-legal_basis": "public_task",
        }
    )
    requests = Request.objects.in_network(world.leuven).count()
    response = client.post(HELP, data)
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert not contacts(world).exists() and Request.objects.in_network(world.leuven).count() == requests
    assert client.post(HELP, {**data, "allow_duplicate": "1"}).status_code == 302
    assert Resident.objects.in_network(world.leuven).filter(last_name="Bosmans").count() == 2


def test_a_referral_needs_a_need_and_a_resident(world, client_for):
    client = client_for(world.digipunt)
    data = form_data(referral_step(client, world), "help-form", outcome="referred")
    response = client.post(HELP, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required" in html and "Choose a resident" in html
    assert not contacts(world).exists()


def test_a_volunteer_who_taps_referred_records_it_without_a_request(world, client_for):
    client = client_for(world.volunteer)
    data = form_data(theme_page(client, world.theme), "help-form", outcome="referred")
    assert client.post(HELP, data).status_code == 302
    contact = contacts(world).get()
    assert contact.outcome == Outcome.REFERRED and contact.request is None


def test_a_referral_is_refused_for_a_role_that_may_not_register_requests(world):
    with pytest.raises(Exception, match="cannot register a referral"):
        services.helpcontact_register(
            membership=world.volunteer.memberships.get(),
            actor=world.volunteer,
            digipunt=world.dp,
            theme=world.theme,
            outcome="referred",
            minutes=10,
            language="nl",
            referral={"needs": ["device"], "resident": world.resident_desk},
        )
    assert not contacts(world).exists()


# --- taking back, recent list, tallies -----------------------------------------------------------


def _register(world, user):
    return services.helpcontact_register(
        membership=user.memberships.get(),
        actor=user,
        digipunt=world.dp,
        theme=world.theme,
        outcome="solved",
        minutes=10,
        language="nl",
    )


def test_the_helper_can_take_back_their_last_registration(world, client_for):
    contact = _register(world, world.digipunt)
    client = client_for(world.digipunt)
    assert "Take back the last one" in client.get(HELP).content.decode()
    client.post(reverse("digipunten:undo", kwargs={"pk": contact.pk}), {"confirm": "1"})
    assert not HelpContact.objects.filter(pk=contact.pk).exists()


def test_nobody_else_can_take_it_back_and_not_without_confirming(world, client_for):
    contact = _register(world, world.digipunt)
    url = reverse("digipunten:undo", kwargs={"pk": contact.pk})
    client_for(world.coordinator).post(url, {"confirm": "1"})
    client_for(world.digipunt).post(url, {})
    assert HelpContact.objects.filter(pk=contact.pk).exists()
    assert client_for(world.volunteer).post(url, {"confirm": "1"}).status_code == 404
    assert client_for(world.outsider).post(url, {"confirm": "1"}).status_code == 404


def test_it_is_too_late_to_take_back_after_a_quarter_of_an_hour(world, client_for):
    contact = _register(world, world.digipunt)
    HelpContact.objects.filter(pk=contact.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=16)
    )
    client_for(world.digipunt).post(reverse("digipunten:undo", kwargs={"pk": contact.pk}), {"confirm": "1"})
    assert HelpContact.objects.filter(pk=contact.pk).exists()


def test_the_page_costs_the_same_queries_for_one_or_many_registrations(
    world, client_for, django_assert_max_num_queries
):
    client = client_for(world.digipunt)
    client.get(HELP)
    with django_assert_max_num_queries(22) as one:
        client.get(HELP)
    for _ in range(15):
        _register(world, world.digipunt)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(HELP)


def test_the_plus_one_button_counts_visitors_per_digipunt_and_day(world, client_for):
    url = reverse("digipunten:visitor_add", kwargs={"pk": world.dp.pk})
    client = client_for(world.volunteer)
    for _ in range(3):
        client.post(url, {"add": "1", "next": HELP})
    client.post(url, {})  # an empty POST changes nothing
    tally = VisitorTally.objects.get(digipunt=world.dp, date=timezone.localdate())
    assert tally.count == 3
    assert client_for(world.steering).post(url, {"add": "1"}).status_code == 403
    assert (
        client_for(world.digipunt)
        .post(reverse("digipunten:visitor_add", kwargs={"pk": world.dp_other.pk}), {"add": "1"})
        .status_code
        == 404
    )


def test_the_tally_increments_in_the_database_not_from_a_stale_copy(world):
    stale = services.visitor_tally_add(digipunt=world.dp)
    VisitorTally.objects.filter(digipunt=world.dp).update(count=10)  # another helper tapped meanwhile
    assert services.visitor_tally_add(digipunt=world.dp) == 11
    assert stale == 1


def test_a_tally_redirect_never_leaves_the_site(world, client_for):
    url = reverse("digipunten:visitor_add", kwargs={"pk": world.dp.pk})
    response = client_for(world.digipunt).post(url, {"add": "1", "next": "https://evil.example/"})
    assert response["Location"] == reverse("digipunten:detail", kwargs={"pk": world.dp.pk})


def test_the_contact_list_shows_a_volunteer_only_their_own(world, client_for, django_assert_max_num_queries):
    _register(world, world.volunteer)
    html = client_for(world.volunteer).get(reverse("digipunten:contacts")).content.decode()
    assert html.count("<tr>") == 2  # header + their one contact
    client = client_for(world.coordinator)
    with django_assert_max_num_queries(10) as one:
        client.get(reverse("digipunten:contacts"))
    for _ in range(10):
        _register(world, world.digipunt)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(reverse("digipunten:contacts"))
