"""Form helpers shared by every app."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

# Django 6 labels the empty choice of every select "- Select an option -" (BLANK_CHOICE_LABEL).
# Django's own Dutch catalogue does not translate it yet, so ours does (LOCALE_PATHS come first);
# naming it here keeps it in our catalogues.
BLANK_CHOICE_LABEL = gettext_lazy("- Select an option -")


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


class KeyChoiceField(forms.ModelChoiceField):
    """A typed or scanned key (an asset tag) that names one object of ``queryset``.

    The queryset is what the person may see (``Model.objects.visible_to(membership)``): a key
    of another network's or partner's object is "not found", exactly like a key that does not
    exist. Matched case-insensitively; the cleaned value is the object.
    """

    widget = forms.TextInput

    def __init__(self, *, key: str, queryset=None, **kwargs):
        kwargs.setdefault("error_messages", {})
        super().__init__(queryset=queryset, to_field_name=key, **kwargs)
        self.key = key

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        try:
            return self.queryset.get(**{f"{self.key}__iexact": value})
        except (self.queryset.model.DoesNotExist, self.queryset.model.MultipleObjectsReturned) as exc:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice") from exc

    def prepare_value(self, value):
        if hasattr(value, self.key):
            return getattr(value, self.key)
        return value
