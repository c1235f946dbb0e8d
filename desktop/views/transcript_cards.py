"""Messages drawn as cards into the transcript's document: Markdown, citation chips, a footer.

Cards are QTextFrames filled through a QTextCursor rather than one HTML page: a streamed
answer replaces only its own card, so the text above keeps its selection and scroll, and
Markdown is imported with raw HTML off (`MarkdownNoHTML`), as `SafeTextBrowser` does.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPalette,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextFragment,
    QTextFrame,
    QTextFrameFormat,
)

from desktop import syntax

MARKDOWN = (
    QTextDocument.MarkdownFeature.MarkdownDialectGitHub
    | QTextDocument.MarkdownFeature.MarkdownNoHTML
)
CITE, RATE, COPY = "cite:", "rate:", "copy:"
"""Link schemes inside the transcript; `SafeTextBrowser` never follows them itself."""


def _mix(a: QColor, b: QColor, amount: float) -> QColor:
    """`a` moved `amount` (0..1) of the way towards `b`."""
    return QColor(
        round(a.red() + (b.red() - a.red()) * amount),
        round(a.green() + (b.green() - a.green()) * amount),
        round(a.blue() + (b.blue() - a.blue()) * amount),
    )


@dataclass(frozen=True, slots=True)
class CardColours:
    """Card colours derived from the palette, so the light and dark themes both read well."""

    dark: bool
    text: QColor
    muted: QColor
    question: QColor
    answer: QColor
    border: QColor
    chip: QColor
    chip_text: QColor
    code: QColor

    @classmethod
    def of(cls, palette: QPalette) -> CardColours:
        """The colours for `palette` (the application's, after `apply_theme`)."""
        base = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        accent = palette.color(QPalette.ColorRole.Highlight)
        dark = base.lightness() < 128
        return cls(
            dark=dark,
            text=text,
            muted=_mix(text, base, 0.4),
            question=_mix(base, accent, 0.22 if dark else 0.1),
            answer=_mix(base, text, 0.05 if dark else 0.025),
            border=_mix(base, text, 0.2 if dark else 0.14),
            chip=_mix(base, accent, 0.38 if dark else 0.16),
            chip_text=palette.color(QPalette.ColorRole.Link) if not dark else QColor("#dbe6ff"),
            code=_mix(base, text, 0.1 if dark else 0.06),
        )


@dataclass(frozen=True, slots=True)
class Card:
    """What one card shows; the view builds it from an `Entry` and its own translations."""

    role: str
    who: str
    markdown: str
    footer: tuple[tuple[str, str, bool], ...] = ()
    """(label, link, highlighted) shown under a finished answer."""


def insert_card(cursor: QTextCursor, card: Card, colours: CardColours, em: float) -> None:
    """Insert `card` at the end of the document `cursor` is in."""
    cursor.movePosition(QTextCursor.MoveOperation.End)
    if card.role == "note":  # the app's own line, shown literally (it may name a file)
        fmt = QTextCharFormat()
        fmt.setFontItalic(True)
        fmt.setForeground(colours.muted)
        cursor.insertBlock()
        cursor.insertText(card.markdown, fmt)
        return
    frame = cursor.insertFrame(_frame_format(card.role, colours, em))
    header = QTextCharFormat()
    header.setFontWeight(QFont.Weight.DemiBold)
    header.setForeground(colours.muted)
    cursor.insertText(card.who, header)
    cursor.insertBlock()
    cursor.setCharFormat(QTextCharFormat())
    cursor.insertMarkdown(card.markdown, MARKDOWN)
    _dress(frame, colours)
    if card.footer:
        _insert_footer(cursor, frame, card.footer, colours, em)
    cursor.movePosition(QTextCursor.MoveOperation.End)


def insert_link_line(cursor: QTextCursor, label: str, link: str, colours: CardColours) -> None:
    """A centred link on its own line (e.g. "show earlier messages")."""
    cursor.movePosition(QTextCursor.MoveOperation.End)
    centred = QTextBlockFormat()
    centred.setAlignment(Qt.AlignmentFlag.AlignHCenter)
    cursor.setBlockFormat(centred)
    fmt = QTextCharFormat()
    fmt.setAnchor(True)
    fmt.setAnchorHref(link)
    fmt.setForeground(colours.chip_text)
    fmt.setBackground(colours.chip)
    cursor.insertText(f" {label} ", fmt)
    cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())


def _frame_format(role: str, colours: CardColours, em: float) -> QTextFrameFormat:
    fmt = QTextFrameFormat()
    fmt.setBorder(1)
    fmt.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    fmt.setBorderBrush(colours.border)
    fmt.setPadding(0.8 * em)
    fmt.setTopMargin(0.5 * em)
    fmt.setBottomMargin(0.5 * em)
    if role == "user":  # the question: tinted and indented, like a sent message
        fmt.setBackground(colours.question)
        fmt.setLeftMargin(4 * em)
    else:
        fmt.setBackground(colours.answer)
        fmt.setRightMargin(1 * em)
    return fmt


def _blocks(frame: QTextFrame) -> list[QTextBlock]:
    document = frame.document()
    block = document.findBlock(frame.firstPosition())
    found = []
    while block.isValid() and block.position() <= frame.lastPosition():
        found.append(block)
        block = block.next()
    return found


def _fragments(block: QTextBlock) -> list[QTextFragment]:
    found = []
    piece = block.begin()
    while not piece.atEnd():
        found.append(piece.fragment())
        piece += 1
    return found


def _dress(frame: QTextFrame, colours: CardColours) -> None:
    """Citation links become chips, inline code gets a tint, code blocks get colours."""
    cursor = QTextCursor(frame.document())
    chip = QTextCharFormat()
    chip.setBackground(colours.chip)
    chip.setForeground(colours.chip_text)
    chip.setFontUnderline(False)
    chip.setFontWeight(QFont.Weight.DemiBold)
    inline_code = QTextCharFormat()
    inline_code.setBackground(colours.code)
    code_lines: list[QTextBlock] = []
    for block in _blocks(frame):
        if block.blockFormat().hasProperty(QTextFormat.Property.BlockCodeFence):
            code_lines.append(block)
            continue
        _colour_code(code_lines, colours)
        code_lines = []
        for fragment in _fragments(block):
            fmt = fragment.charFormat()
            if fmt.anchorHref().startswith(CITE):
                wanted = chip
            elif fmt.fontFixedPitch():
                wanted = inline_code
            else:
                continue
            cursor.setPosition(fragment.position())
            cursor.setPosition(
                fragment.position() + fragment.length(), QTextCursor.MoveMode.KeepAnchor
            )
            cursor.mergeCharFormat(wanted)
    _colour_code(code_lines, colours)


def _colour_code(lines: list[QTextBlock], colours: CardColours) -> None:
    """A fenced block: a tinted background, a fixed font, and Pygments' colours."""
    if not lines:
        return
    document = lines[0].document()
    cursor = QTextCursor(document)
    block_fmt = lines[0].blockFormat()
    block_fmt.setBackground(colours.code)
    base = QTextCharFormat()
    base.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    for line in lines:
        cursor.setPosition(line.position())
        cursor.mergeBlockFormat(block_fmt)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(base)
    language = str(lines[0].blockFormat().property(QTextFormat.Property.BlockCodeLanguage) or "")
    start = lines[0].position()
    code = "\n".join(line.text() for line in lines)
    for span in syntax.spans(code, language, colours.dark):
        fmt = QTextCharFormat()
        fmt.setForeground(QColor(span.colour))
        if span.bold:
            fmt.setFontWeight(QFont.Weight.Bold)
        if span.italic:
            fmt.setFontItalic(True)
        cursor.setPosition(start + span.start)
        cursor.setPosition(start + span.start + span.length, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(fmt)


def _insert_footer(
    cursor: QTextCursor,
    frame: QTextFrame,
    links: tuple[tuple[str, str, bool], ...],
    colours: CardColours,
    em: float,
) -> None:
    cursor.setPosition(frame.lastPosition())
    cursor.insertBlock()
    footer = QTextBlockFormat()
    footer.setTopMargin(0.4 * em)
    cursor.setBlockFormat(footer)
    plain = QTextCharFormat()
    for i, (label, link, highlighted) in enumerate(links):
        fmt = QTextCharFormat()
        fmt.setAnchor(True)
        fmt.setAnchorHref(link)
        fmt.setForeground(colours.chip_text if highlighted else colours.muted)
        if highlighted:
            fmt.setBackground(colours.chip)
            fmt.setFontWeight(QFont.Weight.DemiBold)
        if i:
            cursor.insertText("    ", plain)
        cursor.insertText(f" {label} ", fmt)
