"""Writes the automatic "viewed" entries of audit.shown once a staff page is rendered."""

from digibank.privacy.registry import RESIDENT, subject_describe

from . import shown as shown_module
from .models import AuditAction, AuditEntry

AUDITED_CONTENT = ("text/html",)


class AuditShownMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        shown, token = shown_module.start()
        try:
            response = self.get_response(request)
            self.record(request, response, shown)
        finally:
            shown_module.stop(token)
        return response

    def record(self, request, response, shown) -> None:
        membership = getattr(request, "membership", None)
        if membership is None or not shown.loaded or shown.exempt or response.streaming:
            return
        if response.status_code >= 400:
            return
        if not response.get("Content-Type", "").startswith(AUDITED_CONTENT):
            return
        text = response.content.decode(response.charset or "utf-8", errors="ignore")
        found = {}
        for pk, values in shown.loaded.items():
            if (RESIDENT, pk) not in shown.recorded and (fields := shown_module.fields_shown(values, text)):
                found[pk] = fields
        if not found:
            return
        # Only residents this member may see (one query): a name the member typed into a form
        # that matches someone else's resident is not a view of that resident.
        visible = subject_describe(membership, RESIDENT, found)
        AuditEntry.objects.bulk_create(
            AuditEntry(
                network_id=membership.network_id,
                actor=request.user,
                action=AuditAction.VIEW,
                subject_kind=RESIDENT,
                subject_id=pk,
                fields=fields,
                source=request.path[:300],
            )
            for pk, fields in found.items()
            if pk in visible
        )
