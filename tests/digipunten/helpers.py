"""Test helpers: submit a page's form the way a browser would."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__()
        self.form_id = form_id
        self.inside = False
        self.depth = 0
        self.values: dict[str, list[str]] = {}
        self.select: str | None = None
        self.buttons: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if attrs.get("id") == self.form_id:
                self.inside = True
            return
        owned = self.inside and "form" not in attrs or attrs.get("form") == self.form_id
        if not owned:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in {"radio", "checkbox"}:
                if "checked" in attrs:
                    self.values.setdefault(name, []).append(attrs.get("value", "on"))
            elif kind != "submit":
                self.values.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "select" and name:
            self.select = name
        elif tag == "option" and self.select and "selected" in attrs:
            self.values.setdefault(self.select, []).append(attrs.get("value", ""))
        elif tag == "button" and name:
            self.buttons.append((name, attrs.get("value", "")))

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "select":
            self.select = None


def form_data(html: str, form_id: str, **submit) -> dict:
    """What a browser sends for ``form_id`` (hidden, checked, selected), plus ``submit``."""
    parser = _FormParser(form_id)
    parser.feed(html)
    data = {name: values if len(values) > 1 else values[0] for name, values in parser.values.items()}
    data.update(submit)
    return data


def buttons(html: str, form_id: str) -> list[tuple[str, str]]:
    parser = _FormParser(form_id)
    parser.feed(html)
    return parser.buttons
