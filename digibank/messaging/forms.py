from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MessageStatus


class OutboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All"))] + list(MessageStatus.choices), required=False
    )
