"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import ValidationError


class AccessibleFormMixin:
    """Points each field with an error at its message (aria-describedby), beside Django's aria-invalid.

    Use with templates/includes/form.html, which renders the message with id ``<id>_error``.
    """

    required_css_class = "required"

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                field = self[name]
                widget = self.fields[name].widget
                ids = [i for i in [widget.attrs.get("aria-describedby"), f"{field.auto_id}_error"] if i]
                widget.attrs["aria-describedby"] = " ".join(dict.fromkeys(" ".join(ids).split()))


class Form(AccessibleFormMixin, forms.Form):
    pass


class ModelForm(AccessibleFormMixin, forms.ModelForm):
    pass


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """A rule broken in a service (e.g. a race on a unique name) shown on the form: on the field
    it is about when the form has that field, else at the top of the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)
