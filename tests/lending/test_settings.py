"""The lending rules page: eligibility, periods, deposit and the priority categories."""

from django.urls import reverse

from digibank.lending import services
from digibank.lending.models import LendingSettings, PriorityCategory


def test_settings_are_created_with_defaults_when_missing(world):
    LendingSettings.objects.filter(network=world.leuven).delete()
    settings = services.lending_settings_for(world.leuven)
    assert settings.eligible_statuses == ["increased_reimbursement", "living_wage", "debt_mediation"]
    assert settings.referral_makes_eligible is True
    assert (settings.loan_days, settings.extension_days, settings.offer_days) == (180, 90, 7)
    assert services.lending_settings_for(world.leuven.pk) == settings


def test_the_coordinator_changes_the_rules(world, client_for):
    response = client_for(world.coordinator).post(
        reverse("lending:settings"),
        {
            "eligible_statuses": ["living_wage", "other"],
            "loan_days": "365",
            "extension_days": "30",
            "offer_days": "5",
            "reminder_days_before": "10",
            "deposit": "25.50",
        },
    )
    assert response.status_code == 302
    settings = services.lending_settings_for(world.leuven)
    assert settings.eligible_statuses == ["living_wage", "other"]
    assert settings.referral_makes_eligible is False
    assert (settings.loan_days, settings.extension_days, settings.offer_days) == (365, 30, 5)
    assert settings.reminder_days_before == 10 and settings.deposit_cents == 2550


def test_bad_rules_re_render_with_errors_and_change_nothing(world, client_for):
    response = client_for(world.coordinator).post(
        reverse("lending:settings"),
        {
            "eligible_statuses": ["rich"],
            "loan_days": "0",
            "extension_days": "",
            "offer_days": "7",
            "reminder_days_before": "1",
            "deposit": "-1",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) >= {
        "eligible_statuses",
        "loan_days",
        "extension_days",
        "deposit",
    }
    assert services.lending_settings_for(world.leuven).loan_days == 180


def test_only_the_coordinator_sets_the_rules(world, client_for):
    for actor in (world.desk, world.partner_a, world.steering):
        assert client_for(actor).get(reverse("lending:settings")).status_code == 403
        assert (
            client_for(actor)
            .post(reverse("lending:category_add"), {"new-name": "X", "new-rank": "1"})
            .status_code
            == 403
        )
    assert not PriorityCategory.objects.filter(name="X").exists()


def test_categories_are_added_renamed_and_re_ranked(world, client_for):
    client = client_for(world.coordinator)
    client.post(reverse("lending:category_add"), {"new-name": "Senioren", "new-rank": "3"})
    seniors = PriorityCategory.objects.get(network=world.leuven, name="Senioren")
    prefix = f"c{seniors.pk}"
    client.post(
        reverse("lending:category_edit", kwargs={"pk": seniors.pk}),
        {f"{prefix}-name": "Senioren (65+)", f"{prefix}-rank": "0"},
    )
    seniors.refresh_from_db()
    assert (seniors.name, seniors.rank) == ("Senioren (65+)", 0)
    page = client.get(reverse("lending:settings"))
    assert [c.name for c, _form in page.context["categories"]] == [
        "Senioren (65+)",
        "Leerlingen en studenten",
    ]


def test_a_duplicate_category_name_is_refused(world, client_for):
    response = client_for(world.coordinator).post(
        reverse("lending:category_add"), {"new-name": "leerlingen en studenten", "new-rank": "2"}
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert PriorityCategory.objects.filter(network=world.leuven).count() == 1


def test_a_category_of_another_network_is_not_found(world, client_for):
    prefix = f"c{world.category_other.pk}"
    response = client_for(world.coordinator).post(
        reverse("lending:category_edit", kwargs={"pk": world.category_other.pk}),
        {f"{prefix}-name": "Hacked", f"{prefix}-rank": "1"},
    )
    assert response.status_code == 404
    world.category_other.refresh_from_db()
    assert world.category_other.name == "Zegers categorie"
