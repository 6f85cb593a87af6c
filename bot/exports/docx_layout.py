"""The page of a drafted administrative document (Nghị định 30/2020/NĐ-CP, Phụ lục I) with python-docx: A4,
Times New Roman 14, the decree's margins, page numbers from the second page, justified paragraphs with an indented
first line, rules under headings, fixed-layout tables whose rows never split across pages."""

from __future__ import annotations

from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from bot.core.cleaning import xml_safe

FONT = "Times New Roman"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top_margin": Mm(20), "bottom_margin": Mm(20), "left_margin": Mm(30), "right_margin": Mm(15)}
LEFT_COLUMN_MM, RIGHT_COLUMN_MM = 62, 103  # 165 mm between the margins; the motto line needs 94 mm at 12 pt
MOTTO_RULE_MM = 67  # "Độc lập - Tự do - Hạnh phúc", 13 pt bold: the rule under it is as long as the line
CAPITAL_MM = 3.0  # about the width of a 13 pt bold capital, for the short rule under the issuing body
CELL_PADDING_MM = 4  # Word's default cell margins, both sides


def add_paragraph(
    container,
    content: str = "",
    *,
    size: int = 14,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.CENTER,
    indent: bool = False,
    after: int = 0,
    ruled: bool = False,
):
    """A paragraph of one run; body text is justified with its first line indented 1.27 cm; `ruled` draws a line
    under it."""
    paragraph = container.add_paragraph()
    if ruled:  # first: Word reads a paragraph's properties in the schema's order, and python-docx adds the rest so
        borders, bottom = OxmlElement("w:pBdr"), OxmlElement("w:bottom")
        for key, value in {"w:val": "single", "w:sz": "6", "w:space": "1", "w:color": "auto"}.items():
            bottom.set(qn(key), value)
        borders.append(bottom)
        paragraph._p.get_or_add_pPr().append(borders)
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    if indent:
        paragraph.paragraph_format.first_line_indent = Mm(12.7)
    run = paragraph.add_run(xml_safe(content))  # text stored before cleaning existed, or from the config
    run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
    return paragraph


def add_body(document: DocxDocument, content: str, **style) -> Paragraph:
    """A paragraph of the body: justified, its first line indented."""
    return add_paragraph(document, content, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6, **style)


def add_heading(document: DocxDocument, content: str, *, bold: bool = True, italic: bool = False) -> None:
    """A heading of the body, kept on the page of what follows it."""
    heading = add_paragraph(
        document, content, bold=bold, italic=italic, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6
    )
    heading.paragraph_format.keep_with_next = True


def add_rule(container, length_mm: float, width_mm: float) -> None:
    """A solid line `length_mm` long, centred in a container `width_mm` wide (the line under a heading block)."""
    paragraph = add_paragraph(container, size=2, ruled=True)
    side = Mm(max(width_mm - CELL_PADDING_MM - length_mm, 0) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side


def add_grid(document: DocxDocument, widths_mm: list[float], rows: int = 1) -> Table:
    """A fixed-layout table of these column widths (set on the grid and on every cell, as Word and LibreOffice
    each read one), whose rows never split across pages; its cells start empty."""
    table = document.add_table(rows=rows, cols=len(widths_mm))
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
    for row in table.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
            cell._tc.remove(cell.paragraphs[0]._p)  # each block adds its own paragraphs
    return table


def add_table(document: DocxDocument, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
    """A bordered table, its header bold and centred, 12 pt so it fits the page."""
    table = add_grid(document, widths, rows=1 + len(rows))
    table.style = "Table Grid"
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeated atop a following page
    for r, cells in enumerate([header, *rows]):
        for c, content in enumerate(cells):
            align = WD_ALIGN_PARAGRAPH.LEFT if r > 0 and c == 1 else WD_ALIGN_PARAGRAPH.CENTER
            add_paragraph(table.cell(r, c), content, size=12, bold=r == 0, align=align)
    add_paragraph(document, after=6)


def page_numbers(document: DocxDocument) -> None:
    """Page numbers centred in the top margin, none on the first page (Phụ lục I, I.7)."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    field.append(paragraph.add_run()._r)
    paragraph._p.append(field)


def setup(document: DocxDocument) -> None:
    """A4, the decree's margins, Times New Roman 14, page numbers."""
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for name, value in MARGINS.items():
        setattr(section, name, value)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.1
    page_numbers(document)
