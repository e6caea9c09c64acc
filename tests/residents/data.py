"""Form data for registering a resident: valid by default, override what a test is about."""

import datetime

from django.utils import timezone


def resident_data(**overrides) -> dict:
    data = {
        "first_name": "Jan",
        "last_name": "Janssens",
        "birth_year": "1958",
        "postcode": "3001",
        "district": "",
        "languages": "nl",
        "preferred_channel": "phone",
        "phone": "0470 12 34 56",
        "email": "",
        "street": "",
        "city": "",
        "legal_basis": "consent",
        "consent_date": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "notes": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}
