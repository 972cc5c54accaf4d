"""One record's user-defined fields as mentions: list items by canonical name, scalars by value.

:func:`user_mentions` turns the ``fields.<name>`` values of a record into
:class:`~paperfields.compare.views.Mention` objects, so groups, matrices, side
by side views, exports and the report treat them like the built-in fields. A
``list`` field gives one mention per item, its name made canonical by the
run's :class:`~paperfields.names.canonical.Normalizer` (as tasks or datasets
are). A scalar gives one mention when it has a value (none for null), keyed by
:func:`scalar_text`: a ``string`` by its folded canonical form, an ``enum`` by
the value itself, a ``boolean`` as ``true``/``false``, a ``number`` as written
without a needless ``.0``; the typed value rides along in ``Mention.scalar``.
A value whose shape does not fit its field's type (a list where a scalar is
expected) gives no mention.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from ..fields import FieldSpec
from ..names.canonical import Normalizer
from ..schemas import GroundedUserItem, GroundedUserValue, Record
from .views import Mention

__all__ = ["scalar_text", "user_mentions"]

Scalar = bool | float | str


def scalar_text(value: Scalar) -> str:
    """A scalar as text: ``true``/``false``, ``7000000000`` (not ``7000000000.0``), ``0.5``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | int):
        number = float(value)
        if math.isfinite(number) and number.is_integer() and abs(number) < 1e16:
            return str(int(number))
        return repr(number)
    return value.strip()


def _items(pid: str, spec: FieldSpec, value: object, normalizer: Normalizer) -> list[Mention]:
    if not isinstance(value, list):
        return []
    out = []
    for item in value:
        if not isinstance(item, GroundedUserItem):
            continue
        canonical = normalizer.canonical(item.name, pid)
        out.append(
            Mention(
                paper_id=pid,
                field=spec.name,
                name=item.name,
                canonical=canonical.display,
                key=canonical.key,
                evidence=item.evidence,
                span=item.span,
                grounded=item.grounded,
                name_span=item.name_span,
                match=item.match,
            )
        )
    return out


def _scalar(pid: str, spec: FieldSpec, value: object, normalizer: Normalizer) -> list[Mention]:
    quoted = value if isinstance(value, GroundedUserValue) else None
    raw = quoted.value if quoted is not None else value
    if not isinstance(raw, bool | float | int | str):
        return []
    text = scalar_text(raw)
    if not text:
        return []
    if spec.type == "string" and isinstance(raw, str):
        canonical = normalizer.canonical(text, pid)
        key, display = canonical.key, canonical.display
    else:
        key, display = text, text
    return [
        Mention(
            paper_id=pid,
            field=spec.name,
            name=text,
            canonical=display,
            key=key,
            evidence=(quoted.evidence or "") if quoted is not None else "",
            span=quoted.span if quoted is not None else None,
            grounded=quoted.grounded if quoted is not None else False,
            match=quoted.match if quoted is not None else None,
            scalar=raw,
        )
    ]


def user_mentions(
    record: Record, fields: Sequence[FieldSpec], normalizer: Normalizer
) -> dict[str, list[Mention]]:
    """The mentions of every user field of ``record``, by field name, in item order.

    Args:
        record: A validated record.
        fields: The run's user fields (a field the record lacks gives no mention).
        normalizer: The run's canonical names.
    """
    extra = record.fields.model_extra or {}
    out: dict[str, list[Mention]] = {}
    for spec in fields:
        value = extra.get(spec.name)
        if spec.is_list:
            out[spec.name] = _items(record.id, spec, value, normalizer)
        else:
            out[spec.name] = _scalar(record.id, spec, value, normalizer)
    return out
