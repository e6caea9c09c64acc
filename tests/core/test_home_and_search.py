from django.urls import reverse

from digibank.audit.models import AuditEntry

from .. import factories as f


def test_every_role_has_a_home_page_of_its_own(world, client_for):
    templates = set()
    for actor in ("coordinator", "desk", "partner_a", "provider", "volunteer", "steering"):
        response = client_for(getattr(world, actor)).get(reverse("core:home"))
        assert response.status_code == 200
        # The page's own template (widgets are rendered before it, so it is not always the first).
        templates.update(t.name for t in response.templates if t.name.startswith("core/home_"))
    assert len(templates) == 6


def test_the_steering_group_sees_figures_without_personal_data(world, client_for):
    text = client_for(world.steering).get(reverse("core:home")).text
    assert "Amira" not in text and "Bosmans" not in text
    assert "&lt; 5" in text  # two residents: suppressed


def test_small_groups_are_suppressed_but_larger_ones_are_shown(world, client_for):
    # Heverlee 1 + 5, Kessel-Lo 5, no district: the desk's own resident (1).
    f.ResidentFactory.create_batch(5, network=world.leuven, district=world.district)
    kessel_lo = f.DistrictFactory(network=world.leuven, name="Kessel-Lo", postcodes="3010")
    f.ResidentFactory.create_batch(5, network=world.leuven, district=kessel_lo)
    response = client_for(world.steering).get(reverse("core:home"))
    rows = {row["district__name"]: str(row["n"]) for row in response.context["residents_by_district"]}
    # The 1 is hidden; the total is known, so the next smallest group (5) is hidden with it.
    assert rows == {"Heverlee": "6", "Kessel-Lo": "< 5", None: "< 5"}
    # The coordinator sees every figure.
    response = client_for(world.coordinator).get(reverse("core:home"))
    assert {row["district__name"]: str(row["n"]) for row in response.context["residents_by_district"]} == {
        "Heverlee": "6",
        "Kessel-Lo": "5",
        None: "1",
    }


def test_search_finds_a_resident_by_name_in_any_order(world, client_for):
    response = client_for(world.desk).get(reverse("core:search"), {"q": "aerts amira"})
    assert [r.pk for r in response.context["results"]] == [world.resident_a.pk]


def test_search_finds_residents_by_postcode(world, client_for):
    world.resident_desk.postcode = "3010"
    world.resident_desk.save()
    response = client_for(world.desk).get(reverse("core:search"), {"q": "3010"})
    assert [r.pk for r in response.context["results"]] == [world.resident_desk.pk]


def test_search_never_returns_another_networks_residents(world, client_for):
    response = client_for(world.desk).get(reverse("core:search"), {"q": "Zegers"})
    assert response.context["results"] == []
    assert "Nobody found" in response.text or "Niemand" in response.text


def test_a_partner_only_finds_residents_of_their_organisation(world, client_for):
    assert client_for(world.partner_b).get(reverse("core:search"), {"q": "Amira"}).context["results"] == []
    found = client_for(world.partner_a).get(reverse("core:search"), {"q": "Amira"}).context["results"]
    assert found == [world.resident_a]


def test_search_results_are_written_to_the_audit_trail(world, client_for):
    client_for(world.desk).get(reverse("core:search"), {"q": "Amira"})
    entry = AuditEntry.objects.get(subject_kind="resident", subject_id=world.resident_a.pk, actor=world.desk)
    assert entry.action == "view"
    assert entry.source.startswith("/search/")


def test_an_htmx_search_returns_only_the_results_fragment(world, client_for):
    response = client_for(world.desk).get(
        reverse("core:search"), {"q": "Amira"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in response.text
    assert "Amira" in response.text


def test_search_uses_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for(world.desk)
    client.get(reverse("core:search"), {"q": "Peeters"})
    f.ResidentFactory.create_batch(3, network=world.leuven, last_name="Peeters")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("core:search"), {"q": "Peeters"})
    f.ResidentFactory.create_batch(30, network=world.leuven, last_name="Peeters")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("core:search"), {"q": "Peeters"})


def test_the_health_check_answers_without_log_in(client, db):
    assert client.get(reverse("core:health")).text == "ok"


def test_search_finds_devices_by_asset_tag_for_device_staff_only(world, client_for):
    from digibank.devices.models import Device

    device = Device.objects.in_network(world.leuven).order_by("pk").first()
    detail = reverse("devices:detail", args=[device.pk])
    text = client_for(world.desk).get(reverse("core:search"), {"q": device.asset_tag[:-1]}).text
    assert detail in text
    response = client_for(world.partner_a).get(reverse("core:search"), {"q": device.asset_tag})
    assert response.status_code == 200
    assert detail not in response.text and response.context["sections"] == []


def test_a_typed_asset_tag_opens_the_device_directly(world, client_for):
    from digibank.devices.models import Device

    device = Device.objects.in_network(world.leuven).order_by("pk").first()
    response = client_for(world.desk).get(reverse("core:search"), {"q": device.asset_tag.lower()})
    assert response.status_code == 302
    assert response["Location"] == reverse("devices:detail", args=[device.pk])
