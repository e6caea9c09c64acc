"""Form helpers shared by every app."""

from django import forms


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
