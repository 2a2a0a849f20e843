"""The profile page: who you are, your domains, your API token."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe
from rest_framework.authtoken.models import Token

from accounts import services


@login_required
@require_safe
def profile(request):
    user = request.user
    return render(
        request,
        "accounts/profile.html",
        {
            "token": Token.objects.filter(user=user).first(),
            "led": user.led_domains.all(),
            "member_of": user.member_domains.all(),
        },
    )


@login_required
@require_POST
def token_create(request):
    services.token_create(user=request.user)
    messages.success(request, "A new API token was created; the previous one no longer works.")
    return redirect("accounts:profile")


@login_required
@require_POST
def token_revoke(request):
    if services.token_revoke(user=request.user):
        messages.success(request, "Your API token was revoked.")
    return redirect("accounts:profile")
