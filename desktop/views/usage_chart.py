"""A small bar chart drawn with QPainter in the palette's colours (light and dark themes).

Drawn here rather than with Qt Charts (PySide6-Addons) or pyqtgraph: the usage page needs
bars and labels only, and neither library is in the installer; docs/analytics.md weighs
what each would add.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

_PAD = 6
_MAX_LABELS = 8
"""Under columns, at most this many labels are written (every n-th day)."""


class BarChartView(QWidget):
    """Bars for labelled values: columns (`horizontal=False`, e.g. per day) or rows (per KB).

    The values are also the widget's accessible description, so a screen reader reads them.
    """

    def __init__(self, horizontal: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.horizontal = horizontal
        self.title = ""
        self.labels: list[str] = []
        self.values: list[float] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def set_data(self, title: str, labels: Sequence[str], values: Sequence[float]) -> None:
        """Show `values` under `title`; `labels` name them (a day, a knowledge base)."""
        self.title, self.labels, self.values = title, list(labels), list(values)
        self.setAccessibleName(title)
        pairs = ", ".join(
            f"{label}: {value:g}" for label, value in zip(labels, values, strict=True)
        )
        self.setAccessibleDescription(pairs)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(360, 200)

    def minimumSizeHint(self) -> QSize:
        return QSize(200, 120)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        line = self.fontMetrics().height()
        painter.setPen(palette.color(QPalette.ColorRole.WindowText))
        painter.drawText(QRectF(0, 0, self.width(), line), Qt.AlignmentFlag.AlignLeft, self.title)
        area = QRectF(_PAD, line + _PAD, self.width() - 2 * _PAD, self.height() - line - 2 * _PAD)
        if not self.values:
            return
        top = max(self.values) or 1.0
        if self.horizontal:
            self._rows(painter, area, top, line)
        else:
            self._columns(painter, area, top, line)

    def _rows(self, painter: QPainter, area: QRectF, top: float, line: int) -> None:
        """One row per value: its label, a bar, and the value at the bar's end."""
        palette = self.palette()
        metrics = self.fontMetrics()
        label_w = min(
            max(metrics.horizontalAdvance(s) for s in self.labels) + _PAD, area.width() / 3
        )
        value_w = max(metrics.horizontalAdvance(f"{v:g}") for v in self.values) + _PAD
        step = min(area.height() / len(self.values), line * 2.0)
        bar_w = max(area.width() - label_w - value_w, 1.0)
        for i, (label, value) in enumerate(zip(self.labels, self.values, strict=True)):
            y = area.top() + i * step
            text = metrics.elidedText(label, Qt.TextElideMode.ElideRight, int(label_w - _PAD))
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawText(
                QRectF(area.left(), y, label_w, step), Qt.AlignmentFlag.AlignVCenter, text
            )
            width = bar_w * value / top
            bar = QRectF(area.left() + label_w, y + step * 0.15, width, step * 0.7)
            painter.fillRect(bar, palette.color(QPalette.ColorRole.Highlight))
            painter.drawText(
                QRectF(bar.right() + _PAD / 2, y, value_w, step),
                Qt.AlignmentFlag.AlignVCenter,
                f"{value:g}",
            )

    def _columns(self, painter: QPainter, area: QRectF, top: float, line: int) -> None:
        """One column per value over a baseline, the largest value written at the top left."""
        palette = self.palette()
        plot = QRectF(area.left(), area.top() + line, area.width(), area.height() - 2 * line)
        painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
        painter.drawText(
            QRectF(area.left(), area.top(), area.width(), line),
            Qt.AlignmentFlag.AlignRight,
            f"{top:g}",
        )
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        step = plot.width() / len(self.values)
        every = max(1, -(-len(self.values) // _MAX_LABELS))
        for i, value in enumerate(self.values):
            height = plot.height() * value / top
            bar = QRectF(
                plot.left() + i * step + step * 0.1, plot.bottom() - height, step * 0.8, height
            )
            painter.fillRect(bar, palette.color(QPalette.ColorRole.Highlight))
            if i % every == 0:
                label = QRectF(plot.left() + i * step - step, plot.bottom(), step * 3, line)
                painter.drawText(label, Qt.AlignmentFlag.AlignHCenter, self.labels[i])
