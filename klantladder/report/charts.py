"""SVG charts for the report: the ladder, the dimension profile and the heatmap.

Every chart carries its numbers as text, and fills get darker as values rise,
so the charts stay readable when printed in greyscale. All text is escaped.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from klantladder.report.fonts import text_width

FONT = "'Source Sans Pro', 'DejaVu Sans', sans-serif"
INK = "#1f2328"
MUTED = "#6b7280"
EMPTY = "#e8eaed"
MISSING = "\u2013"  # an en dash where a value is missing
MIN_CONTRAST = 4.5  # WCAG AA for normal text


@dataclass(frozen=True)
class Palette:
    """Colours of a brand, with derived tints."""

    primary: str
    secondary: str

    def tint(self, share: float) -> str:
        """A mix of white and the primary colour: 0 is white, 1 is the primary."""
        return mix("#ffffff", self.primary, share)

    def text_on(self, background: str) -> str:
        """Dark ink or white, whichever contrasts more with ``background`` (WCAG)."""
        return "#ffffff" if contrast("#ffffff", background) > contrast(INK, background) else INK

    def readable_share(self, minimum: float = MIN_CONTRAST) -> float:
        """The largest tint share on which dark ink still reaches ``minimum`` contrast."""
        share = 1.0
        while share > 0 and contrast(INK, self.tint(share)) < minimum:
            share = round(share - 0.01, 2)
        return share


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def mix(start: str, end: str, share: float) -> str:
    """Blend two #rrggbb colours."""
    share = min(max(share, 0.0), 1.0)
    a, b = _rgb(start), _rgb(end)
    return "#" + "".join(f"{round(x + (y - x) * share):02x}" for x, y in zip(a, b, strict=True))


def luminance(colour: str) -> float:
    """Relative luminance (WCAG) of a #rrggbb colour, 0 (black) to 1 (white)."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio of two #rrggbb colours, 1 (none) to 21 (black on white)."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _text(x: float, y: float, content: str, **attributes: str | float) -> str:
    attrs = "".join(
        f" {name.replace('_', '-')}={quoteattr(str(value))}" for name, value in attributes.items()
    )
    return f'<text x="{x:.1f}" y="{y:.1f}"{attrs}>{escape(content)}</text>'


def wrap(text: str, limit: int) -> list[str]:
    """Split a label into lines of about ``limit`` characters, at spaces; at most two."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= limit:
            lines[-1] += " " + word
        else:
            lines.append(word)
    if len(lines) > 2:
        lines = [lines[0], " ".join(lines[1:])]
    return lines or [""]


def _lines(
    x: float, y: float, content: str, limit: int, leading: float, **attributes: str | float
) -> str:
    """Text wrapped over up to two lines, centred vertically on ``y``."""
    parts = wrap(content, limit)
    first = y - (len(parts) - 1) * leading / 2
    return "".join(
        _text(x, first + i * leading, part, **attributes) for i, part in enumerate(parts)
    )


# One chart unit in millimetres: a 640-unit chart spans the 170 mm text width.
MM_PER_UNIT = 170 / 640


def _svg(width: float, height: float, body: list[str], label: str, top: float = 0.0) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 {top:.0f} {width:.0f} {height - top:.0f}" '
        f'width="{width * MM_PER_UNIT:.1f}mm" height="{(height - top) * MM_PER_UNIT:.1f}mm" '
        f'role="img" aria-label={quoteattr(label)} '
        f'font-family="{escape(FONT)}" font-size="12" fill="{INK}">' + "".join(body) + "</svg>"
    )


@dataclass(frozen=True)
class Rung:
    """A phase as the ladder graphic draws it."""

    level: int
    name: str


@dataclass(frozen=True)
class Mark:
    """A numbered dimension marker on the rung of its phase."""

    number: int
    level: int


def ladder_svg(
    rungs: Sequence[Rung],
    current: int,
    marks: Sequence[Mark],
    palette: Palette,
    here_label: str,
    title: str,
    name_size: float = 13.0,
) -> str:
    """The five rungs as a staircase, the organisation's rung marked, dimension markers on top.

    The rungs share the chart's width, margins included, so the last rung is
    never cut off. Phase names are set at ``name_size`` (larger for the wall),
    smaller only where a name would not fit under its rung.
    """
    width, margin, gap, step_height = 640.0, 16.0, 12.0, 30.0
    step_width = (width - 2 * margin - gap * (len(rungs) - 1)) / max(len(rungs), 1)
    base = 250.0
    radius, per_row = 10.0, 4
    body: list[str] = []
    highest = base - len(rungs) * step_height
    for index, rung in enumerate(rungs):
        x = margin + index * (step_width + gap)
        top = base - (index + 1) * step_height
        reached = rung.level <= current
        fill = (
            palette.primary if rung.level == current else (palette.tint(0.35) if reached else EMPTY)
        )
        body.append(
            f'<rect x="{x:.1f}" y="{top:.1f}" width="{step_width:.1f}" '
            f'height="{base - top:.1f}" rx="3" fill="{fill}"/>'
        )
        body.append(
            _text(
                x + step_width / 2,
                base - 10,
                str(rung.level),
                text_anchor="middle",
                font_size=16,
                font_weight="bold",
                fill=palette.text_on(fill),
            )
        )
        weight = 700 if rung.level == current else 400
        size = fitted_size(rung.name, name_size, step_width + gap - 2, weight)
        body.append(
            _text(
                x + step_width / 2,
                base + 6 + name_size,
                rung.name,
                text_anchor="middle",
                font_size=round(size, 2),
                font_weight="bold" if weight == 700 else "normal",
            )
        )
        on_rung = [mark for mark in marks if mark.level == rung.level]
        for position, mark in enumerate(on_rung):
            row, column = divmod(position, per_row)
            columns = min(len(on_rung) - row * per_row, per_row)
            span = columns * 2 * radius + (columns - 1) * 4
            cx = x + (step_width - span) / 2 + radius + column * (2 * radius + 4)
            cy = top - radius - 4 - row * (2 * radius + 4)
            highest = min(highest, cy - radius)
            body.append(
                f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius:.0f}" fill="#ffffff" '
                f'stroke="{INK}" stroke-width="1.2"/>'
            )
            body.append(
                _text(
                    cx,
                    cy + 4,
                    str(mark.number),
                    text_anchor="middle",
                    font_size=11,
                    font_weight="bold",
                )
            )
        if rung.level == current:
            rows = -(-len(on_rung) // per_row)
            label_y = top - 12 - rows * (2 * radius + 4)
            highest = min(highest, label_y - 14)
            body.append(
                _text(
                    x + step_width / 2,
                    label_y,
                    f"▼ {here_label}",
                    text_anchor="middle",
                    font_size=13,
                    font_weight="bold",
                    fill=INK,
                )
            )
    return _svg(width, base + 12 + name_size * 1.25, body, title, top=highest - 4)


def fitted_size(text: str, size: float, room: float, weight: int = 400) -> float:
    """``size``, or smaller so that ``text`` fits in ``room`` chart units."""
    needed = text_width(text, size, weight)
    return size if needed <= room else size * room / needed


@dataclass(frozen=True)
class ProfileBar:
    """One dimension in the profile chart."""

    title: str
    score: float | None
    spread: float | None
    score_text: str
    focus: bool
    group: str | None = None


@dataclass(frozen=True)
class Band:
    """The score range of a phase, drawn behind the bars."""

    name: str
    start: float
    end: float


def _scale_x(left: float, right: float) -> Callable[[float], float]:
    """Map a score 1-5 onto x between ``left`` and ``right``."""
    return lambda value: left + (value - 1.0) / 4.0 * (right - left)


def _scale(
    bands: Sequence[Band], x_of: Callable[[float], float], top: float, bottom: float, axis: float
) -> list[str]:
    """Shaded phase bands named above the plot, and the 1-5 axis below it."""
    parts = []
    for index, band in enumerate(bands):
        x0, x1 = x_of(band.start), x_of(band.end)
        shade = "#f4f5f7" if index % 2 == 0 else "#e9ebef"
        parts.append(
            f'<rect x="{x0:.1f}" y="{top - 6:.1f}" width="{x1 - x0:.1f}" '
            f'height="{bottom - top + 6:.1f}" fill="{shade}"/>'
        )
        parts.append(
            _text(
                (x0 + x1) / 2, top - 12, band.name, text_anchor="middle", font_size=9.5, fill=MUTED
            )
        )
    for value in range(1, 6):
        parts.append(
            _text(x_of(value), axis, str(value), text_anchor="middle", font_size=10, fill=MUTED)
        )
    return parts


def profile_svg(
    bars: Sequence[ProfileBar],
    bands: Sequence[Band],
    palette: Palette,
    focus_label: str,
    title: str,
) -> str:
    """Horizontal bars of dimension scores on the 1-5 scale, over the phase bands.

    Bars with a ``group`` (a link of the method) are headed by the group's name
    wherever the group changes.
    """
    left, right, top, row, heading = 190.0, 560.0, 34.0, 30.0, 22.0
    width = right + 80
    x_of = _scale_x(left, right)

    positions: list[float] = []
    headings: list[tuple[float, str]] = []
    y, previous = top, None
    for bar in bars:
        if bar.group is not None and bar.group != previous:
            headings.append((y, bar.group))
            y += heading
        previous = bar.group
        positions.append(y)
        y += row
    bottom = y
    height = bottom + 24
    body: list[str] = []
    body += _scale(bands, x_of, top, bottom, height - 6)
    for y, name in headings:
        body.append(
            f'<path d="M8 {y + heading - 3:.1f}H{right:.1f}" stroke="{MUTED}" stroke-width="0.6"/>'
        )
        body.append(
            _text(
                8,
                y + heading - 8,
                name.upper(),
                font_size=10,
                font_weight="bold",
                letter_spacing=0.6,
            )
        )
    for bar, y in zip(bars, positions, strict=True):
        body.append(
            _lines(left - 8, y + row / 2 + 4, bar.title, 30, 12, text_anchor="end", font_size=11.5)
        )
        if bar.score is None:
            body.append(_text(left + 6, y + row / 2 + 4, MISSING, font_size=11, fill=MUTED))
            continue
        fill = palette.secondary if bar.focus else palette.primary
        end = x_of(bar.score)
        body.append(
            f'<rect x="{left:.1f}" y="{y + 7:.1f}" width="{max(end - left, 1.5):.1f}" '
            f'height="{row - 14:.1f}" rx="2" fill="{fill}"'
            + (f' stroke="{INK}" stroke-width="1.2"' if bar.focus else "")
            + "/>"
        )
        label_x = end + 6
        if bar.spread:
            low, high = (
                x_of(max(bar.score - bar.spread, 1.0)),
                x_of(min(bar.score + bar.spread, 5.0)),
            )
            label_x = max(label_x, high + 6)
            middle = y + row / 2
            body.append(
                f'<path d="M{low:.1f} {middle:.1f}H{high:.1f}M{low:.1f} {middle - 4:.1f}v8'
                f'M{high:.1f} {middle - 4:.1f}v8" stroke="{INK}" stroke-width="0.8" opacity="0.6"/>'
            )
        label = bar.score_text + (f"  {focus_label}" if bar.focus else "")
        weight = "bold" if bar.focus else "normal"
        body.append(_text(label_x, y + row / 2 + 4, label, font_size=11, font_weight=weight))
    return _svg(width, height, body, title)


@dataclass(frozen=True)
class HeatColumn:
    """One segment (or the whole organisation) as a heatmap column."""

    label: str
    n: int
    values: Sequence[float | None]


HEADER_SIZE = 10.5
HEADER_LEADING = 12.0


def wrap_to_width(text: str, room: float, size: float, weight: int = 400) -> list[str]:
    """Split ``text`` at spaces into lines that each fit in ``room`` chart units."""
    lines: list[str] = []
    for word in text.split():
        if lines and text_width(f"{lines[-1]} {word}", size, weight) <= room:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def heat_fill(palette: Palette, value: float) -> str:
    """The cell colour of a score 1-5: lighter to darker, always readable with dark ink."""
    share = 0.06 + (palette.readable_share() - 0.06) * (min(max(value, 1.0), 5.0) - 1.0) / 4.0
    return palette.tint(share)


def heatmap_svg(
    rows: Sequence[str],
    columns: Sequence[HeatColumn],
    palette: Palette,
    format_value: object,
    title: str,
    group_label: str | None = None,
) -> str:
    """Dimension x segment scores as shaded cells with the score printed in each.

    Column headers wrap at spaces to fit their column, which widens for a long
    word, so neighbouring headers never touch. ``group_label`` (the question the
    segments answer) spans the segment columns, all but the first (everyone).
    Every score reaches a contrast of at least 4.5:1 with its cell.
    """
    assert callable(format_value)
    left, minimum_width, cell_height, padding = 170.0, 64.0, 24.0, 8.0
    weight = 700
    widths = [
        max(
            minimum_width,
            max(text_width(word, HEADER_SIZE, weight) for word in (c.label.split() or [""]))
            + padding,
        )
        for c in columns
    ]
    # A header takes two lines at most where widening its column a little allows it.
    for index, column in enumerate(columns):
        while (
            len(wrap_to_width(column.label, widths[index] - padding, HEADER_SIZE, weight)) > 2
            and widths[index] < 2 * minimum_width
        ):
            widths[index] += 4
    labels = [
        wrap_to_width(c.label, w - padding, HEADER_SIZE, weight)
        for c, w in zip(columns, widths, strict=True)
    ]
    label_lines = max((len(lines) for lines in labels), default=1)
    span_height = 22.0 if group_label and len(columns) > 1 else 0.0
    header = span_height + label_lines * HEADER_LEADING + 26
    width = left + sum(widths) + 10
    height = header + cell_height * len(rows) + 6
    body: list[str] = []
    starts = [left + sum(widths[:i]) for i in range(len(columns))]
    if span_height and group_label:
        x0, x1 = starts[1] + 2, starts[-1] + widths[-1] - 2
        span_size = fitted_size(group_label, 12.0, x1 - x0, weight)
        body.append(
            _text(
                (x0 + x1) / 2,
                12,
                group_label,
                text_anchor="middle",
                font_size=round(span_size, 2),
                font_weight="bold",
            )
        )
        body.append(
            f'<path d="M{x0:.1f} 21V17H{x1:.1f}V21" fill="none" stroke="{MUTED}" '
            f'stroke-width="0.8"/>'
        )
    text_colour = INK
    for column_index, column in enumerate(columns):
        x, cell_width = starts[column_index], widths[column_index]
        cx = x + cell_width / 2
        lines = labels[column_index]
        first = header - 22 - (len(lines) - 1) * HEADER_LEADING
        for number, line in enumerate(lines):
            body.append(
                _text(
                    cx,
                    first + number * HEADER_LEADING,
                    line,
                    text_anchor="middle",
                    font_size=HEADER_SIZE,
                    font_weight="bold",
                )
            )
        body.append(
            _text(
                cx, header - 8, f"n = {column.n}", text_anchor="middle", font_size=9.5, fill=MUTED
            )
        )
        for row_index, value in enumerate(column.values):
            y = header + row_index * cell_height
            fill = EMPTY if value is None else heat_fill(palette, value)
            body.append(
                f'<rect x="{x + 1:.1f}" y="{y + 1:.1f}" width="{cell_width - 2:.1f}" '
                f'height="{cell_height - 2:.1f}" fill="{fill}"/>'
            )
            text = MISSING if value is None else str(format_value(value))
            body.append(
                _text(
                    x + cell_width / 2,
                    y + cell_height / 2 + 4,
                    text,
                    text_anchor="middle",
                    font_size=11,
                    fill=text_colour,
                )
            )
    for row_index, label in enumerate(rows):
        y = header + row_index * cell_height
        body.append(
            _lines(
                left - 8, y + cell_height / 2 + 4, label, 30, 11, text_anchor="end", font_size=11
            )
        )
    return _svg(width, height, body, title)


@dataclass(frozen=True)
class ChangeRow:
    """A dimension (or the whole) from an earlier to a later score."""

    title: str
    earlier: float | None
    later: float | None
    text: str
    emphasis: bool = False
    muted: bool = False  # a change within the measurement uncertainty


def _dot(x: float, y: float, radius: float, fill: str) -> str:
    return (
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="{fill}" '
        f'stroke="{INK}" stroke-width="1.3"/>'
    )


def change_svg(
    rows: Sequence[ChangeRow],
    bands: Sequence[Band],
    palette: Palette,
    earlier_label: str,
    later_label: str,
    title: str,
) -> str:
    """Per row a hollow dot (earlier), a filled dot (later) and the line between them."""
    left, right, top, row = 190.0, 540.0, 52.0, 28.0
    width = right + 150
    x_of = _scale_x(left, right)

    height = top + row * len(rows) + 22
    body: list[str] = [
        _dot(left + 6, 10, 5, "#ffffff"),
        _text(left + 16, 14, earlier_label, font_size=11),
        _dot(left + 146, 10, 5, palette.primary),
        _text(left + 156, 14, later_label, font_size=11),
    ]
    body += _scale(bands, x_of, top, top + row * len(rows), height - 6)
    for index, item in enumerate(rows):
        y = top + index * row + row / 2
        weight = "bold" if item.emphasis else "normal"
        body.append(
            _lines(
                left - 8,
                y + 4,
                item.title,
                30,
                12,
                text_anchor="end",
                font_size=11.5,
                font_weight=weight,
            )
        )
        if item.earlier is None or item.later is None:
            body.append(_text(left + 6, y + 4, item.text, font_size=11, fill=MUTED))
            continue
        x0, x1 = x_of(item.earlier), x_of(item.later)
        dash = ' stroke-dasharray="3 2"' if item.muted else ""
        body.append(
            f'<line x1="{x0:.1f}" y1="{y:.1f}" x2="{x1:.1f}" y2="{y:.1f}" stroke="{INK}" '
            f'stroke-width="{2.5 if item.emphasis else 1.5}"{dash}/>'
        )
        body.append(_dot(x0, y, 5, "#ffffff"))
        body.append(_dot(x1, y, 5.5, palette.primary))
        body.append(
            _text(
                max(x0, x1) + 10,
                y + 4,
                item.text,
                font_size=11,
                font_weight=weight,
                fill=MUTED if item.muted else INK,
            )
        )
    return _svg(width, height, body, title)
