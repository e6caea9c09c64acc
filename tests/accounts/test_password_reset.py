import re

from django.core import mail
from django.urls import reverse

from .helpers import PASSWORD


def test_it_sends_a_password_reset_email_with_a_working_link(world, client):
    response = client.post(reverse("accounts:password_reset"), {"email": "desk@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["desk@example.org"]
    assert "Digibank" in message.subject and "\n" not in message.subject
    assert "desk" in message.body  # the user name, for who forgot that too
    link = re.search(r"https?://testserver(/accounts/password/reset/\S+/)", message.body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    new_password = "a much better passphrase 42"
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": new_password, "new_password2": new_password}
    )
    assert done.status_code == 302 and done["Location"] == reverse("accounts:password_reset_complete")
    world.desk.refresh_from_db()
    assert world.desk.check_password(new_password)
    assert not world.desk.check_password(PASSWORD)


def test_an_unknown_address_gets_the_same_answer_and_no_email(world, client):
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mail.outbox == []


def test_a_broken_reset_link_says_it_does_not_work(world, client):
    response = client.get(reverse("accounts:password_reset_confirm", args=["MQ", "wrong-token"]))
    assert response.status_code == 200
    assert not response.context["validlink"]
    assert reverse("accounts:password_reset") in response.content.decode()


def test_a_user_can_change_their_password(world, client_for):
    client = client_for(world.desk)
    new_password = "another good passphrase 7"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302
    world.desk.refresh_from_db()
    assert world.desk.check_password(new_password)


def test_changing_the_password_needs_the_old_one(world, client_for):
    client = client_for(world.desk)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "wrong", "new_password1": "x long 12345 y", "new_password2": "x long 12345 y"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    world.desk.refresh_from_db()
    assert world.desk.check_password(PASSWORD)
