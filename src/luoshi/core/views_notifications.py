"""The notification centre: a user's own notifications (unread first), opening one marks
it read and follows its link; the office's list of reminder deliveries shows who never
read one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from luoshi.core import notifications as services
from luoshi.core.decorators import perm_required
from luoshi.core.permissions import Perm

PAGE_SIZE = 50


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(services.notification_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page_obj": page,
        "querystring_without_page": "",
        "unread": services.unread_count(user=request.user),
    }
    return render(request, "core/notifications.html", context)


@login_required
@require_POST
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    notification = services.notification_open(user=request.user, pk=pk)
    if notification is None:
        raise Http404
    link = notification.link
    if link and url_has_allowed_host_and_scheme(link, allowed_hosts={request.get_host()}):
        return redirect(link)
    return redirect("core:notification_list")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    n = services.notifications_mark_read(user=request.user)
    messages.success(
        request,
        ngettext("%(n)d notification marked read.", "%(n)d notifications marked read.", n)
        % {"n": n},
    )
    return redirect("core:notification_list")


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    if not services.notifications_mark_read(user=request.user, ids=[pk]):
        if not services.notification_list(user=request.user).filter(pk=pk).exists():
            raise Http404
    messages.success(request, _("Notification marked read."))
    return redirect("core:notification_list")


@perm_required(Perm.ACCEPT_REPORTS)
def delivery_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(services.delivery_list(unread_only=unread_only), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "nav_section": "projects",
        "page_obj": page,
        "unread_only": unread_only,
        "querystring_without_page": "unread=1&" if unread_only else "",
    }
    return render(request, "core/notifications_deliveries.html", context)
