"""The prompt section generated from a fields spec: what each user field is and how to write it.

Released prompt files never change, so the instructions for user fields are
generated here from the spec and appended to the system message (see
:class:`~paperfields.extract.plan.ExtractionPlan`). The section lists each field
as ``- "name" (type): description`` followed by how to write its value, then
the JSON shape of those keys, so the ``json_object`` and ``text`` modes - where
no schema is sent - know the shape as well as ``json_schema`` and ``tools`` do.
The text is a pure function of the spec, and the spec's hash is in every
record, so a record names the exact section it was asked with.
"""

from __future__ import annotations

import json

from .spec import FieldSpec, FieldsSpec

__all__ = ["SECTION_HEADING", "prompt_section"]

SECTION_HEADING = "User-defined fields"

_JSON_TYPE = {"string": "string", "number": "number", "boolean": "boolean"}


def _type_label(spec: FieldSpec) -> str:
    if spec.type == "enum":
        label = "one of " + ", ".join(json.dumps(v, ensure_ascii=False) for v in spec.values)
    else:
        label = spec.type
    return f"{label}, with evidence" if spec.evidence and not spec.is_list else label


def _how(spec: FieldSpec) -> str:
    if spec.is_list:
        return (
            'A list of items, each {"name": the item in a short phrase as written in the '
            'abstract, "evidence": a verbatim quote}; [] when the abstract mentions none.'
        )
    if spec.type == "number":
        value = 'a plain JSON number, units and words removed (7000000000 for "7B")'
    elif spec.type == "boolean":
        value = "true or false"
    elif spec.type == "enum":
        value = "exactly one of the listed strings"
    else:
        value = "a short string in the abstract's words"
    if not spec.evidence:
        return f"The value is {value}, or null when the abstract does not say."
    return (
        f'An object {{"value": ..., "evidence": ...}}: "value" is {value}, or null when the '
        'abstract does not say; "evidence" is a verbatim quote that supports it, or null '
        "when the value is null."
    )


def _shape(spec: FieldSpec) -> str:
    if spec.is_list:
        return '[{"name": string, "evidence": string}]'
    if spec.type == "enum":
        value = " | ".join(json.dumps(v, ensure_ascii=False) for v in spec.values) + " | null"
    else:
        value = f"{_JSON_TYPE[spec.type]} or null"
    if spec.evidence:
        return f'{{"value": {value}, "evidence": string or null}}'
    return value


def prompt_section(spec: FieldsSpec) -> str:
    """The generated prompt text for the user fields of ``spec``.

    Returns:
        A block of text to append to the system message: one bullet per field and
        the JSON shape of the user keys.
    """
    if spec.builtins:
        intro = (
            f"{SECTION_HEADING}: the reply object also has the keys below, after the fields "
            "above. They follow the same rules: everything comes from the abstract, and every "
            "evidence quote is verbatim."
        )
    else:
        intro = f"{SECTION_HEADING}: the reply object has exactly the keys below."
    bullets = [
        f'- "{s.name}" ({_type_label(s)}): {s.description or s.name.replace("_", " ")}'
        f"{'' if (s.description or '').endswith('.') else '.'} {_how(s)}"
        for s in spec.fields
    ]
    shape = ",\n".join(f'  "{s.name}": {_shape(s)}' for s in spec.fields)
    closing = "These keys are required; their shape:" if spec.builtins else "Every key is required:"
    return "\n".join([intro, *bullets, "", closing, "{", shape, "}"])
