"""A draft of the commune's report on the plan, as .docx in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I):
A4, Times New Roman, the issuing body beside the national motto, number, place and date, the title, the body
in three sections, the signature and the recipients. The office fills in the number, the day and section III."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table
from docx.text.paragraph import Paragraph

from bot.core.cleaning import xml_safe
from bot.core.commune import ReportDocument
from bot.core.texts.catalogue import text
from bot.core.texts.exports import department_cells, target_rows, task_summary
from bot.core.texts.format import format_count, format_date
from bot.exports.data import ExportData, ReportStanding

FONT = "Times New Roman"
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
MARGINS = {"top_margin": Mm(20), "bottom_margin": Mm(20), "left_margin": Mm(30), "right_margin": Mm(15)}
LEFT_COLUMN_MM, RIGHT_COLUMN_MM = 62, 103  # 165 mm between the margins; the motto line needs 94 mm at 12 pt
MOTTO_RULE_MM = 67  # "Độc lập - Tự do - Hạnh phúc", 13 pt bold: the rule under it is as long as the line
CAPITAL_MM = 3.0  # about the width of a 13 pt bold capital, for the short rule under the issuing body
CELL_PADDING_MM = 4  # Word's default cell margins, both sides


def _paragraph(
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


def _body(document: DocxDocument, content: str, **style) -> Paragraph:
    return _paragraph(document, content, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6, **style)


def _heading(document: DocxDocument, content: str) -> None:
    heading = _paragraph(document, content, bold=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)
    heading.paragraph_format.keep_with_next = True


def _rule(container, length_mm: float, width_mm: float) -> None:
    """A solid line `length_mm` long, centred in a container `width_mm` wide (the line under a heading block)."""
    paragraph = _paragraph(container, size=2, ruled=True)
    side = Mm(max(width_mm - CELL_PADDING_MM - length_mm, 0) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = side


def _grid(document: DocxDocument, widths_mm: list[float], rows: int = 1) -> Table:
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


def _letterhead(document: DocxDocument, settings: ReportDocument, year: int) -> None:
    """Issuing body and number on the left; motto, place and date on the right (Phụ lục I, IV)."""
    table = _grid(document, [LEFT_COLUMN_MM, RIGHT_COLUMN_MM], rows=2)
    issuer, motto = table.cell(0, 0), table.cell(0, 1)
    if settings.superior:
        _paragraph(issuer, settings.superior.upper(), size=13)
    for line in settings.issuer:
        _paragraph(issuer, line, size=13, bold=True)
    _rule(issuer, 0.4 * CAPITAL_MM * max(len(line) for line in settings.issuer), LEFT_COLUMN_MM)
    _paragraph(motto, text("doc.nation"), size=12, bold=True)
    _paragraph(motto, text("doc.motto"), size=13, bold=True)
    _rule(motto, MOTTO_RULE_MM, RIGHT_COLUMN_MM)
    _paragraph(table.cell(1, 0), settings.number, size=13)
    _paragraph(table.cell(1, 1), text("doc.place_date", place=settings.place, year=year), italic=True)


def _title(document: DocxDocument, data: ExportData, settings: ReportDocument, report_name: str) -> None:
    _paragraph(document, "")
    _paragraph(document, text("doc.title"), bold=True)
    plan_date = format_date(settings.plan_date)
    abstract = text("doc.abstract", number=settings.plan_number, date=plan_date, body=settings.body, name=report_name)
    _paragraph(document, abstract, bold=True)
    _rule(document, 55, 165)  # a third of the line
    window = text("doc.window", start=format_date(data.period.start), end=format_date(data.report.as_of))
    _paragraph(document, window, italic=True, after=6)
    if len(settings.addressees) == 1:
        _paragraph(document, text("doc.to_one", name=settings.addressees[0]), after=6)
    elif settings.addressees:
        _paragraph(document, text("doc.to_many"))
        for index, name in enumerate(settings.addressees, start=1):
            end = "." if index == len(settings.addressees) else ";"
            _paragraph(document, f"- {name}{end}", after=6 if end == "." else 0)


def _table(document: DocxDocument, header: list[str], rows: list[list[str]], widths: list[float]) -> None:
    """A bordered table, its header bold and centred, 12 pt so it fits the page."""
    table = _grid(document, widths, rows=1 + len(rows))
    table.style = "Table Grid"
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeated atop a following page
    for r, cells in enumerate([header, *rows]):
        for c, content in enumerate(cells):
            align = WD_ALIGN_PARAGRAPH.LEFT if r > 0 and c == 1 else WD_ALIGN_PARAGRAPH.CENTER
            _paragraph(table.cell(r, c), content, size=12, bold=r == 0, align=align)
    _paragraph(document, after=6)


def _results(document: DocxDocument, data: ExportData) -> None:
    """Section I: the five targets against last year, each department, tasks, and the reports submitted."""
    report = data.report
    _heading(document, text("doc.section_results"))
    _heading(document, text("doc.targets_heading"))
    header = [text(f"doc.col.{key}") for key in ("no", "target", "plan", "now", "last_year", "mark")]
    _table(document, header, target_rows(report, data.last_year), [10, 39, 36, 27, 27, 26])
    if report.secret_documents:
        _body(document, text("doc.secret", count=format_count(report.secret_documents)))
    if report.data_from is not None:
        _body(document, text("doc.partial", day=format_date(report.data_from)), italic=True)
    _heading(document, text("doc.departments_heading"))
    keys = ("no", "department", "meetings", "online", "documents", "electronic", "dossiers", "tasks")
    rows = [[str(i), d.name, *department_cells(d.report)] for i, d in enumerate(data.departments, start=1)]
    _table(document, [text(f"doc.dep.{key}") for key in keys], rows, [10, 41, 15, 17, 15, 17, 28, 22])
    _heading(document, text("doc.tasks_heading"))
    _body(document, task_summary(report.tasks))
    _heading(document, text("doc.reports_heading"))
    if not data.reports:
        _body(document, text("doc.reports_none"))
    for standing in data.reports:
        _body(document, _standing_text(standing, data.today))


def _standing_text(standing: ReportStanding, today: date) -> str:
    values = {"report": standing.name, "year": standing.year, "due": format_date(standing.due)}
    done = len(standing.on_time) + len(standing.late)
    line = text("doc.report_line", submitted=done, owing=standing.owing, **values)
    if done:
        line += text("doc.report_on_time", count=len(standing.on_time))
    if standing.late:
        line += text("doc.report_late", names=", ".join(standing.late))
    if standing.not_submitted:
        key = "doc.report_missing" if today > standing.due else "doc.report_pending"
        line += text(key, names=", ".join(standing.not_submitted))
    return line + "."


def _difficulties(document: DocxDocument, data: ExportData) -> None:
    _heading(document, text("doc.section_difficulties"))
    if not data.difficulties:
        _body(document, text("doc.difficulties_none"))
    for item in data.difficulties:
        _body(
            document,
            text(
                "doc.difficulty",
                department=item.department,
                report=item.report,
                year=item.year,
                note=item.note.strip().rstrip(".;"),
            ),
        )


def _signature(document: DocxDocument, settings: ReportDocument) -> None:
    """Recipients on the left (12 pt bold italic heading, 11 pt list); authority, title and name on the right."""
    table = _grid(document, [80, 85])
    recipients, signer = table.cell(0, 0), table.cell(0, 1)
    _paragraph(recipients, text("doc.recipients"), size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in settings.recipients:
        _paragraph(recipients, f"- {line}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _paragraph(signer, settings.authority, bold=True)
    _paragraph(signer, settings.signer_title, bold=True, after=72)
    _paragraph(signer, settings.signer_name, bold=True)


def _page_numbers(document: DocxDocument) -> None:
    """Page numbers centred in the top margin, none on the first page (Phụ lục I, I.7)."""
    section = document.sections[0]
    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    field.append(paragraph.add_run()._r)
    paragraph._p.append(field)


def _setup(document: DocxDocument) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    for name, value in MARGINS.items():
        setattr(section, name, value)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.1
    _page_numbers(document)


def draft_report(data: ExportData, settings: ReportDocument, report_name: str) -> bytes:
    """The report on the plan for the period, as .docx bytes; `report_name` ends its title ("năm 2026")."""
    document = Document()
    _setup(document)
    _letterhead(document, settings, data.today.year)
    _title(document, data, settings, report_name)
    plan_date = format_date(settings.plan_date)
    _body(
        document,
        text(
            "doc.opening",
            number=settings.plan_number,
            date=plan_date,
            body=settings.body,
            title=settings.plan_title,
            name=report_name,
        ),
    )
    _results(document, data)
    _difficulties(document, data)
    _heading(document, text("doc.section_proposals"))
    _body(document, text("doc.proposals_placeholder"), italic=True)
    closing = text("doc.closing", number=settings.plan_number, name=report_name, body=settings.body)
    _body(document, closing).paragraph_format.keep_with_next = True  # the signature never stands alone on a page
    _signature(document, settings)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
