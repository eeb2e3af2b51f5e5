"""The Jinja sandbox every report and handout template runs in.

Templates travel: consultants pass ``--templates`` folders around, so a
template is treated as untrusted. Jinja's `ImmutableSandboxedEnvironment`
refuses access to private attributes (``__globals__``, ``__class__`` ...),
to unsafe callables and to methods that change lists and dicts, which stops a
template from running code or reading files. What the sandbox leaves open is
making things big: ``"x" * 10**9``, ``"x"|center(10**9)``, ``9**9**9``. Those
operations are checked here before they run, against the limits in
`klantladder.limits`; rendering time and the size of the output are limited by
`klantladder.report.environment`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from jinja2 import filters as jinja_filters
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from klantladder.limits import MAX_TEMPLATE_VALUE, MAX_TEMPLATE_WIDTH

# A printf or str.format field with a width or precision of five digits or more,
# or one taken from the arguments ("%*d").
_WIDE_PRINTF = re.compile(r"%[^%a-zA-Z]*?(\d{5,}|\*)")
_WIDE_FORMAT = re.compile(r"\{[^{}]*:[^{}]*(\d{5,}|\{)")
# str methods that pad to a width given as their first argument.
_PADDING_METHODS = frozenset({"center", "ljust", "rjust", "zfill", "expandtabs"})
# Filters whose numeric arguments are a width or a count of items to make.
_WIDTH_FILTERS = ("center", "indent", "wordwrap", "batch", "slice")
_MAX_INT_BITS = 100_000


def _refuse(what: str) -> SecurityError:
    return SecurityError(f"the template asks for {what}; refused (see 'Limits' in the README)")


def _check_width(value: Any, what: str) -> None:
    if isinstance(value, int) and value > MAX_TEMPLATE_WIDTH:
        raise _refuse(f"{what} of {value:,} (at most {MAX_TEMPLATE_WIDTH:,})")


def _check_size(value: Any) -> Any:
    if isinstance(value, str | list | tuple) and len(value) > MAX_TEMPLATE_VALUE:
        raise _refuse(f"a value of {len(value):,} items or characters")
    return value


def _check_printf(template: str) -> None:
    if _WIDE_PRINTF.search(template):
        raise _refuse("a printf field wider than 9,999 or with a width from its arguments")


def _check_format(template: str) -> None:
    if _WIDE_FORMAT.search(template):
        raise _refuse("a format field wider than 9,999 or with a width from its arguments")


def _replaced_size(text: str, old: str, new: str, count: int = -1) -> int:
    found = text.count(old) if old else len(text) + 1
    if count >= 0:
        found = min(found, count)
    return len(text) + found * (len(new) - len(old))


def _capped_filter(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    def capped(*args: Any, **kwargs: Any) -> Any:
        for value in (*args[1:], *kwargs.values()):
            _check_width(value, f"{name} with a width")
        return _check_size(original(*args, **kwargs))

    # Keep what Jinja looks for on filters (pass_eval_context and the like).
    capped.__dict__.update(original.__dict__)
    return capped


def _replace_filter(original: Callable[..., Any]) -> Callable[..., Any]:
    def replace(eval_ctx: Any, text: Any, old: Any, new: Any, count: int | None = None) -> Any:
        size = _replaced_size(str(text), str(old), str(new), -1 if count is None else count)
        if size > MAX_TEMPLATE_VALUE:
            raise _refuse(f"a text of {size:,} characters")
        return original(eval_ctx, text, old, new, count)

    replace.__dict__.update(original.__dict__)
    return replace


def _format_filter(original: Callable[..., Any]) -> Callable[..., Any]:
    def format_(value: Any, *args: Any, **kwargs: Any) -> Any:
        _check_printf(str(value))
        return _check_size(original(value, *args, **kwargs))

    format_.__dict__.update(original.__dict__)
    return format_


def _check_binop(operator: str, left: Any, right: Any) -> None:
    if operator == "%" and isinstance(left, str):
        _check_printf(left)
    both_ints = isinstance(left, int) and isinstance(right, int)
    if (
        operator == "**"
        and both_ints
        and abs(left) > 1
        and left.bit_length() * right > _MAX_INT_BITS
    ):
        raise _refuse("a number too large to compute")
    if operator != "*":
        return
    if both_ints and left.bit_length() + right.bit_length() > _MAX_INT_BITS:
        raise _refuse("a number too large to compute")
    for sequence, times in ((left, right), (right, left)):
        is_sequence = isinstance(sequence, str | list | tuple) and isinstance(times, int)
        if is_sequence and len(sequence) * times > MAX_TEMPLATE_VALUE:
            raise _refuse(f"a value of {len(sequence) * times:,} items or characters")


class ReportSandbox(ImmutableSandboxedEnvironment):
    """A sandboxed environment that also refuses operations that would grow out of bounds."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        for name in _WIDTH_FILTERS:
            self.filters[name] = _capped_filter(name, jinja_filters.FILTERS[name])
        self.filters["replace"] = _replace_filter(jinja_filters.FILTERS["replace"])
        self.filters["format"] = _format_filter(jinja_filters.FILTERS["format"])
        # lipsum(n) writes n paragraphs of filler: nothing a report needs.
        self.globals.pop("lipsum", None)

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Check ``*``, ``**`` and ``%`` before they run."""
        _check_binop(operator, left, right)
        return _check_size(super().call_binop(context, operator, left, right))

    def call(self, context: Any, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        """Check the str methods that pad or replace before they run."""
        owner = getattr(obj, "__self__", None)
        name = getattr(obj, "__name__", "")
        if isinstance(owner, str):
            if name in _PADDING_METHODS and args:
                _check_width(args[0], f"{name}() with a width")
            elif name == "replace" and len(args) >= 2:
                count = args[2] if len(args) > 2 and isinstance(args[2], int) else -1
                size = _replaced_size(owner, str(args[0]), str(args[1]), count)
                if size > MAX_TEMPLATE_VALUE:
                    raise _refuse(f"a text of {size:,} characters")
        return _check_size(super().call(context, obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """Check a ``str.format`` template for over-wide fields when the method is looked up."""
        owner = getattr(value, "__self__", None)
        if isinstance(owner, str) and getattr(value, "__name__", "") in ("format", "format_map"):
            _check_format(owner)
        return super().wrap_str_format(value)
