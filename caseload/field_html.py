"""A form field's HTML, as the `field` macro of macros.html writes it, built as plain strings.

The client page shows some forty fields in nine forms on every view, most of them in forms a
worker opens only now and then. Through the macro each field costs a Jinja macro call and
WTForms' widget machinery (attributes sorted and escaped through `Markup.format`, option by
option): about two thirds of the page's rendering. `field_html` writes the same markup (the
same names, ids, labels, values, flags such as `required` and `maxlength`, the error text and
`aria-invalid`) for the widgets those forms use, in a fraction of the time; any other widget
is rendered by WTForms itself. Validation stays with WTForms: this only writes the HTML of a
bound field. tests/test_field_html.py checks it against the macro, field by field."""

from __future__ import annotations

from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.widgets.core import clean_key

from caseload.lazy_text import html


def _attributes(attrs: dict) -> str:
    """wtforms.widgets.html_params, without its Markup.format per attribute."""
    parts = []
    for key in sorted(attrs):
        value = attrs[key]
        if value is True:
            parts.append(clean_key(key))
        elif value is not False:
            parts.append(f'{clean_key(key)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return " ".join(parts)


def _flags(field, widget, attrs: dict) -> None:
    """The widget's validation attributes the field's validators set (required, maxlength...)."""
    names = widget.validation_attrs
    for name, value in vars(field.flags).items():
        if name in names and name not in attrs:
            attrs[name] = value() if callable(value) else value


def _input(field, widget, attrs: dict) -> str:
    if isinstance(widget, widgets.NumberInput):
        for name in ("step", "min", "max"):
            if getattr(widget, name) is not None:
                attrs.setdefault(name, getattr(widget, name))
    if isinstance(widget, widgets.CheckboxInput) and getattr(field, "checked", field.data):
        attrs.setdefault("checked", True)
    attrs.setdefault("id", field.id)
    attrs.setdefault("type", widget.input_type)
    if "value" not in attrs:
        attrs["value"] = field._value()
    if isinstance(widget, widgets.DateInput):
        # as _DateTimeBaseInput: date bounds given as dates are written in the field's format
        form_format = getattr(field, "format", None)
        if form_format is not None:
            form_format = form_format[0] if isinstance(form_format, list) else form_format
            for name in ("min", "max"):
                value = attrs.get(name, getattr(field.flags, name, None))
                if callable(value):
                    value = value()
                if hasattr(value, "strftime"):
                    attrs[name] = value.strftime(form_format)
    _flags(field, widget, attrs)
    attrs["name"] = field.name
    return f"<input {_attributes(attrs)}>"


def _textarea(field, widget, attrs: dict) -> str:
    attrs.setdefault("id", field.id)
    _flags(field, widget, attrs)
    attrs["name"] = field.name
    return f"<textarea {_attributes(attrs)}>\r\n{escape(field._value())}</textarea>"


def _option(choice) -> str:
    value = choice.value
    if isinstance(value, bool):
        value = str(value)
    attrs = {"value": value, **(choice.render_kw or {})}
    if choice.selected:
        attrs["selected"] = True
    label = choice.label
    if hasattr(label, "__html__"):  # Markup, or a lazy translation: translated once, not twice
        label = html(label) if type(label) is not Markup else label
    return f"<option {_attributes(attrs)}>{escape(label or choice.value)}</option>"


def _select(field, widget, attrs: dict) -> str:
    attrs.setdefault("id", field.id)
    if widget.multiple:
        attrs["multiple"] = True
    _flags(field, widget, attrs)
    attrs["name"] = field.name
    html = [f"<select {_attributes(attrs)}>"]
    if field.has_groups():
        for group, choices in field._iter_groups_normalized():
            if group is not None:
                html.append(f"<optgroup {_attributes({'label': group})}>")
            html.extend(_option(choice) for choice in choices)
            if group is not None:
                html.append("</optgroup>")
    else:
        html.extend(_option(choice) for choice in field._iter_choices_normalized())
    html.append("</select>")
    return "".join(html)


# Exactly these widget classes (a subclass may render differently: WTForms renders it).
_WRITERS = {
    widgets.TextInput: _input, widgets.DateInput: _input, widgets.NumberInput: _input,
    widgets.CheckboxInput: _input, widgets.HiddenInput: _input, widgets.EmailInput: _input,
    widgets.TextArea: _textarea, widgets.Select: _select,
}


def widget_html(field, **attrs) -> Markup:
    """What `field(**attrs)` renders: the control alone."""
    return Markup(_control(field, attrs))


def _control(field, attrs: dict) -> str:
    attrs = {clean_key(key): value for key, value in attrs.items()}
    if field.render_kw:
        attrs = {**{clean_key(k): v for k, v in field.render_kw.items()}, **attrs}
    writer = _WRITERS.get(type(field.widget))
    if writer is None or getattr(field, "_datalist", None) is not None:
        return str(field.widget(field, **attrs))
    return writer(field, field.widget, attrs)


def field_html(field, class_: str = "", **attrs) -> Markup:
    """The `field` macro's markup: label, control and the field's errors in a div."""
    errors = field.errors
    if errors:
        attrs["aria-invalid"] = "true"
        attrs["aria-describedby"] = f"{field.id}-error"
    control = _control(field, attrs)
    text = html(field.label.text)
    if field.type == "BooleanField":
        inner = f"<label>{control} {text}</label>"
    else:
        inner = f'<label for="{escape(field.label.field_id)}">{text}</label>\n{control}'
    error = (f'\n<p class="error" id="{escape(field.id)}-error">'
             f'{" ".join(str(escape(e)) for e in errors)}</p>' if errors else "")
    state = " has-error" if errors else ""
    return Markup(f'<div class="field {escape(class_)}{state}">\n{inner}{error}\n</div>')


def hidden_html(form) -> Markup:
    """The `hidden_fields` macro: a form's hidden fields, its CSRF token without an id (several
    forms on one page)."""
    parts = []
    for f in form:
        if f.type == "CSRFTokenField":
            parts.append(_control(f, {"id": False}))
        elif f.type == "HiddenField":
            parts.append(_control(f, {}))
    return Markup("".join(parts))
