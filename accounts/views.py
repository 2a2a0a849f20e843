"""Pages: sign-in (password and/or the identity provider), the profile with its API tokens."""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from accounts import selectors
from accounts.models import ApiToken
from accounts.services import tokens
from accounts.services.language import SESSION_KEY, profile_set_language
from core.errors import NotPermitted

logger = logging.getLogger(__name__)


class BreakGlassAuthenticationForm(AuthenticationForm):
    """With `PASSWORD_LOGIN=0` only staff may use a password (the break-glass path)."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not settings.PASSWORD_LOGIN:
            if not user.is_staff:
                raise ValidationError(
                    gettext_lazy("Sign in with %(provider)s.")
                    % {"provider": settings.OIDC_PROVIDER_NAME},
                    code="password_login_off",
                )
            logger.warning("Break-glass password sign-in by staff member %s.", user.username)


class SignInView(auth_views.LoginView):
    """The sign-in page: a provider button when OIDC is configured, a password form unless
    `PASSWORD_LOGIN=0` (then only at `?break_glass=1`, for staff)."""

    form_class = BreakGlassAuthenticationForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        break_glass = self.request.GET.get("break_glass") == "1"
        context.update(
            oidc_enabled=bool(settings.OIDC_ISSUER),
            oidc_provider_name=settings.OIDC_PROVIDER_NAME,
            show_password_form=settings.PASSWORD_LOGIN
            or break_glass
            or self.request.method == "POST",
            break_glass=break_glass and not settings.PASSWORD_LOGIN,
        )
        return context


class TokenForm(forms.Form):
    """What a person chooses for a new token."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    read_only = forms.BooleanField(label=gettext_lazy("Read-only"), required=False)
    ttl_days = forms.IntegerField(
        label=gettext_lazy("Expires after (days)"), min_value=1, max_value=tokens.MAX_TTL_DAYS
    )


class LanguageForm(forms.Form):
    """The interface language a person chooses ("" = the browser's)."""

    language = forms.ChoiceField(
        label=gettext_lazy("Interface language"),
        required=False,
        choices=[("", gettext_lazy("The browser's language")), *settings.LANGUAGES],
    )


def _profile(request, *, form=None, new_key=None, language_form=None, status=200):
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": selectors.api_tokens_of(user=user),
            "form": form or TokenForm(initial={"ttl_days": settings.API_TOKEN_TTL_DAYS}),
            "new_key": new_key,
            "language_form": language_form
            or LanguageForm(initial={"language": selectors.language_of(user=user)}),
            "led": user.led_domains.all(),
            "member_of": user.member_domains.all(),
        },
        status=status,
    )


@login_required
@require_safe
def profile(request):
    return _profile(request)


@login_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _profile(request, form=form, status=400)
    try:
        _, key = tokens.api_token_create(actor=request.user, **form.cleaned_data)
    except ValidationError as exc:
        for fieldname, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(fieldname if fieldname in form.fields else None, error)
        return _profile(request, form=form, status=400)
    # The key is shown in this one response and never again (only its hash is stored).
    return _profile(request, new_key=key)


@login_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk)
    try:
        revoked = tokens.api_token_revoke(actor=request.user, token=token)
    except NotPermitted:
        raise Http404 from None  # someone else's token: do not confirm it exists
    if revoked:
        messages.success(request, _("The token “%(name)s” was revoked.") % {"name": token.name})
    return redirect("accounts:profile")


@login_required
@require_POST
def language_set(request):
    form = LanguageForm(request.POST)
    if not form.is_valid():
        return _profile(request, language_form=form, status=400)
    language = form.cleaned_data["language"]
    profile_set_language(actor=request.user, language=language)
    response = redirect("accounts:profile")
    if language:
        request.session[SESSION_KEY] = language
        # The cookie keeps the sign-in page in the same language after signing out.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
        )
    else:
        request.session.pop(SESSION_KEY, None)
        response.delete_cookie(settings.LANGUAGE_COOKIE_NAME)
        request.COOKIES.pop(settings.LANGUAGE_COOKIE_NAME, None)
        language = translation.get_language_from_request(request)
    translation.activate(language)
    messages.success(request, _("Your interface language is saved."))
    return response
