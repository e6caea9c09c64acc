"""What an erasure of a resident blanks in the outbox (residents.services.erasure_step)."""

from __future__ import annotations

from digibank.residents.models import Resident
from digibank.residents.services import erasure_step

from .models import RecipientKind
from .services import messages_erase


@erasure_step
def erase_resident_messages(resident: Resident) -> None:
    messages_erase(RecipientKind.RESIDENT, resident.pk)
