"""Server-rendered SVG bar charts: one bar a day against the daily target.

Only geometry is computed here; templates/web/_chart.html draws it with <title>, <desc>
and the values as text, so the chart reads without colour or pictures. The value axis has
round ticks (0, 10, 20, 30 g) and the target line says what it is ("target 25 g").
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from mealplanner.formatting import number, plural

WIDTH, HEIGHT = 360, 160
LEFT, RIGHT, TOP, BOTTOM = 38, 8, 22, 26
TICKS = 4  # about this many steps up the value axis
LEGEND_Y = 12  # the target line's legend, in the top margin


@dataclass(frozen=True)
class Tick:
    text: str  # "1,500"
    y: float


@dataclass(frozen=True)
class DayLabel:
    """How a chart names a day: under its bar ("Mon 7", or "7" when many days share the
    axis) and in sentences ("Monday 7 December"); plans stored before dates: "Day 3"."""

    axis: str
    axis_many: str
    name: str

    @classmethod
    def numbered(cls, day: int) -> DayLabel:
        return cls(f"Day {day}", str(day), f"day {day}")


@dataclass(frozen=True)
class Bar:
    day: int
    value: float
    text: str
    met: bool
    x: float
    y: float
    width: float
    height: float
    label: DayLabel = field(default_factory=lambda: DayLabel("", "", ""))
    excepted: bool = False  # held to the person's exception for that day, not the target

    @property
    def label_inside(self) -> bool:
        """Tall bars carry their value inside at the foot, clear of the target lines."""
        return self.height >= 24 and self.width >= len(self.text) * 6.6

    @property
    def label_y(self) -> float:
        return round(self.y + self.height - 8 if self.label_inside else self.y - 5, 1)


@dataclass
class Chart:
    key: str
    title: str
    unit: str
    target_text: str
    low: float | None  # the line (minimum) or the band's lower edge
    high: float | None  # the band's upper edge (energy, prebiotic tolerance)
    bars: list[Bar] = field(default_factory=list)
    ticks: list[Tick] = field(default_factory=list)
    target_label: str = ""  # "target 25 g", beside the target line
    target_label_y: float | None = None
    low_y: float | None = None
    high_y: float | None = None
    width: int = WIDTH
    height: int = HEIGHT
    plot_left: int = LEFT
    plot_right: int = WIDTH - RIGHT
    baseline: int = HEIGHT - BOTTOM

    @property
    def show_values(self) -> bool:
        """Values fit above or in the bars up to about ten days; the description has them all."""
        return (self.plot_right - self.plot_left) / max(1, len(self.bars)) >= 30

    @property
    def met_days(self) -> int:
        return sum(bar.met for bar in self.bars)

    @property
    def summary(self) -> str:
        if not self.bars:
            return "No days to show."
        missed = [bar.label.name for bar in self.bars if not bar.met]
        excepted = [bar.label.name for bar in self.bars if bar.excepted]
        held = f"{_listed(excepted)} {_verb(excepted)} held to your exception for the day " \
               "instead." if excepted else ""
        if not missed:
            if excepted:
                return f"Every day meets its limit: the target ({self.target_text}), or {held}"
            return f"Every day meets the target ({self.target_text})."
        days = _listed(missed)
        return (f"{days[0].upper()}{days[1:]} {_verb(missed)} outside the target "
                f"({self.target_text})." + (f" {held[0].upper()}{held[1:]}" if held else ""))

    @property
    def description(self) -> str:
        values = "; ".join(
            f"{bar.label.name}: {bar.text} {self.unit} ({'meets' if bar.met else 'misses'} "
            f"{'your exception' if bar.excepted else 'target'})"
            for bar in self.bars
        )
        return f"Target {self.target_text}. {values}."


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _verb(names: list[str]) -> str:
    return "is" if len(names) == 1 else "are"


def bar_chart(key: str, title: str, unit: str, values: list[tuple[int, float]],
              low: float | None, high: float | None = None, digits: int = 1,
              target_text: str = "", unit_one: str | None = None,
              labels: dict[int, DayLabel] | None = None,
              day_limits: dict[int, tuple[float | None, float | None]] | None = None) -> Chart:
    """Bars for (day, value) pairs; met means low <= value (<= high when given), or within
    the day's own (low, high) in `day_limits` (the person's exception for that day). `labels`
    name the days (default "Day 1", ...)."""
    chart = Chart(key, title, unit, target_text, low, high)
    top = max([v for _d, v in values] + [low or 0, high or 0, 1e-9]) * 1.12
    plot_h = chart.baseline - TOP
    slot = (chart.plot_right - chart.plot_left) / max(1, len(values))
    bar_w = min(44.0, slot * 0.72)

    def y_of(value: float) -> float:
        return round(chart.baseline - plot_h * value / top, 1)

    step = nice_step(top / TICKS)
    chart.ticks = [Tick(number(i * step, 2), y_of(i * step))
                   for i in range(int(top // step) + 1)]

    for index, (day, value) in enumerate(values):
        least, most = (day_limits or {}).get(day, (low, high))
        met = (least is None or value >= least - 1e-6) and (most is None or value <= most + 1e-6)
        y = y_of(value)
        x = chart.plot_left + slot * index + (slot - bar_w) / 2
        label = (labels or {}).get(day) or DayLabel.numbered(day)
        chart.bars.append(Bar(day, value, number(value, digits), met, round(x, 1), y,
                              round(bar_w, 1), round(chart.baseline - y, 1), label,
                              excepted=day in (day_limits or {})))
    chart.low_y = y_of(low) if low is not None else None
    chart.high_y = y_of(high) if high is not None else None
    if low is not None:
        shown = (f"{number(low, digits)}-{number(high, digits)}" if high is not None
                 else number(low, digits))
        word = plural(high if high is not None else low, unit_one, unit) if unit_one else unit
        chart.target_label = f"target {shown} {word}"
        chart.target_label_y = LEGEND_Y  # a legend above the plot, clear of the bars
    return chart


def nice_step(rough: float) -> float:
    """A round step near `rough`: 1, 2, 2.5 or 5 times a power of ten."""
    if rough <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)
