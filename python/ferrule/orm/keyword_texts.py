"""Condition keywords given as str subclasses (``filter(**{name: value})``): the ORM reads a
name's text, never its methods (a subclass's ``endswith``, ``==`` or ``__hash__`` may say
anything: an ``__in`` name denying its ending kept its generator unread). ``texts`` keys the
keywords by their texts when a ``Q`` is made; one text given twice (a plain name and a
subclass hashed apart, both in one dict) is a ``FieldError``, never one of them dropped."""

from __future__ import annotations

from typing import Any

from ferrule.errors import FieldError

__all__ = ["texts"]


def texts(kwargs: dict[str, Any]) -> dict[str, Any]:
    """``kwargs`` keyed by the text each name holds."""
    out: dict[str, Any] = {}
    for name, value in kwargs.items():
        text = str.__str__(name)
        if text in out:
            raise FieldError(f"the condition {text!r} is given twice (once as a str subclass)")
        out[text] = value
    return out
