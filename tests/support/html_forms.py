"""Read an HTML form as a browser would submit it, to post an admin edit form whole."""

from html.parser import HTMLParser

NOT_SUBMITTED = {"submit", "button", "reset", "image", "file"}


class _FormReader(HTMLParser):
    def __init__(self, form_id=None):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.forms = []  # [(attrs, fields)]
        self.current = None
        self.select = None
        self.textarea = None
        self.labels_for = set()
        self.ids = {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "label" and attrs.get("for"):
            self.labels_for.add(attrs["for"])
        if tag == "form":
            self.current = (attrs, [])
            self.forms.append(self.current)
            return
        if self.current is None:
            return
        fields = self.current[1]
        name = attrs.get("name")
        if tag == "input" and name and not attrs.get("disabled"):
            kind = attrs.get("type", "text").lower()
            if kind in NOT_SUBMITTED:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    fields.append((name, attrs.get("value", "on"), attrs.get("id")))
                else:
                    fields.append((name, None, attrs.get("id")))  # known, unchecked
                return
            fields.append((name, attrs.get("value", ""), attrs.get("id")))
        elif tag == "select" and name:
            self.select = {
                "name": name,
                "id": attrs.get("id"),
                "multiple": "multiple" in attrs,
                "options": [],
                "selected": [],
            }
        elif tag == "option" and self.select is not None:
            value = attrs.get("value", "")
            self.select["options"].append(value)
            if "selected" in attrs:
                self.select["selected"].append(value)
        elif tag == "textarea" and name:
            self.textarea = {"name": name, "id": attrs.get("id"), "text": ""}

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None
        elif tag == "select" and self.select is not None:
            select, self.select = self.select, None
            values = select["selected"] or ([] if select["multiple"] else select["options"][:1])
            if self.current is not None:
                for value in values or [None]:
                    self.current[1].append((select["name"], value, select["id"]))
        elif tag == "textarea" and self.textarea is not None:
            area, self.textarea = self.textarea, None
            text = area["text"][1:] if area["text"].startswith("\n") else area["text"]
            if self.current is not None:
                self.current[1].append((area["name"], text, area["id"]))


class SubmittedForm:
    def __init__(self, fields, labelled_ids):
        self.fields = fields
        self.labelled_ids = labelled_ids

    def names(self):
        return [name for name, _value, _id in self.fields]

    def data(self):
        """{name: value or [values]}: what the browser posts (unchecked boxes absent)."""
        data = {}
        for name, value, _id in self.fields:
            if value is None:
                continue
            data.setdefault(name, []).append(value)
        return {name: values if len(values) > 1 else values[0] for name, values in data.items()}

    def unlabelled(self):
        """Inputs whose id no <label for> names (radios and checkboxes included)."""
        return sorted(
            {name for name, _value, id_ in self.fields if id_ and id_ not in self.labelled_ids}
        )


def read_form(html, action_contains=""):
    """The largest form of the page (or the one whose action contains ``action_contains``)."""
    reader = _FormReader()
    reader.feed(html)
    forms = [
        fields for attrs, fields in reader.forms if action_contains in (attrs.get("action") or "")
    ]
    fields = max(forms, key=len)
    return SubmittedForm(fields, reader.labels_for)
