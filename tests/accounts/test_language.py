"""The interface language: the person's choice, else the browser's Accept-Language, else English."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.models import Profile
from accounts.services.language import profile_set_language
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_the_browser_language_is_used_when_the_person_chose_none(client, requester):
    client.force_login(requester)
    response = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert response.headers["Content-Language"] == "fr"
    assert "Votre profil" in response.content.decode()


def test_english_is_the_default_for_an_unknown_browser_language(client, requester):
    client.force_login(requester)
    response = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="de-DE")
    assert response.headers["Content-Language"] == "en"
    assert "Your profile" in response.content.decode()


def test_a_person_chooses_french_on_the_profile_and_pages_follow(client, requester):
    client.force_login(requester)
    response = client.post(reverse("accounts:language"), {"language": "fr"}, follow=True)
    assert Profile.objects.get(user=requester).language == "fr"
    page = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.headers["Content-Language"] == "fr"
    assert "Votre langue d’interface est enregistrée." in response.content.decode()


def test_the_choice_wins_over_the_browser_at_the_next_sign_in(client, requester):
    profile_set_language(actor=requester, language="fr")
    client.post(reverse("login"), {"username": requester.username, "password": PASSWORD})
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-GB")
    assert response.headers["Content-Language"] == "fr"


def test_choosing_the_browser_language_again_forgets_the_choice(client, requester):
    profile_set_language(actor=requester, language="fr")
    client.force_login(requester)
    client.post(reverse("accounts:language"), {"language": "fr"})
    client.post(reverse("accounts:language"), {"language": ""})
    assert Profile.objects.get(user=requester).language == ""
    response = client.get(reverse("accounts:profile"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.headers["Content-Language"] == "en"


def test_an_unknown_language_is_refused_with_the_choices(client, requester):
    client.force_login(requester)
    response = client.post(reverse("accounts:language"), {"language": "xx"})
    assert response.status_code == 400
    assert "xx" in response.content.decode()  # Django names the refused choice
    assert not Profile.objects.filter(user=requester, language="xx").exists()


def test_the_service_refuses_an_unknown_code_naming_the_valid_ones(requester):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="en, fr"):
        profile_set_language(actor=requester, language="klingon")


@pytest.mark.parametrize(
    ("chosen", "browser", "expected"),
    [("fr", "en", "fr"), ("", "fr-FR,fr;q=0.9", "fr"), ("", "", "en"), ("en", "fr", "en")],
)
def test_an_api_token_call_answers_in_the_owners_language(requester, chosen, browser, expected):
    """A token carries no session: the person's choice still wins over Accept-Language."""
    from rest_framework.test import APIClient

    from accounts.services.tokens import api_token_create

    if chosen:
        profile_set_language(actor=requester, language=chosen)
    key = api_token_create(actor=requester, name="script")[1]
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    headers = {"HTTP_ACCEPT_LANGUAGE": browser} if browser else {}
    response = client.post("/api/v1/requests/", {}, format="json", **headers)
    assert response.status_code == 400
    assert response.headers["Content-Language"] == expected
    required = {"fr": "Ce champ est obligatoire.", "en": "This field is required."}[expected]
    assert required in str(response.json())
