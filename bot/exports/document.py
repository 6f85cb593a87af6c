"""A draft of the commune's report on the plan, as .docx in the layout of Nghị định 30/2020/NĐ-CP (Phụ lục I):
the issuing body beside the national motto, number, place and date, the title, then the plan's own order:
I. results by its task groups (section II, 1–6), each with its figures and each department's own results, the
targets' table with a verdict per target and the departments' figures; II. the departments' difficulties;
III. their proposals; the signature and the recipients. The office fills in the number and the day."""

from __future__ import annotations

import io
from datetime import date

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH

from bot.core.commune import ReportDocument
from bot.core.features.plan_facts import doc_facts
from bot.core.features.report_content import TASK_GROUPS, group_name
from bot.core.reports import DIFFICULTY, PROPOSAL, RESULT
from bot.core.texts.catalogue import text
from bot.core.texts.document import (
    REPORTING_GROUP,
    answer_paragraphs,
    assessment_lines,
    department_cells,
    facts,
    period_title,
    target_rows,
)
from bot.core.texts.format import format_doc_date
from bot.exports.data import ExportData, ReportStanding
from bot.exports.docx_layout import (
    CAPITAL_MM,
    LEFT_COLUMN_MM,
    MOTTO_RULE_MM,
    RIGHT_COLUMN_MM,
    add_body,
    add_grid,
    add_heading,
    add_paragraph,
    add_rule,
    add_table,
    setup,
)
from bot.exports.plan_annex import annex
from storage.report_content import AnswerRow


def _letterhead(document: DocxDocument, settings: ReportDocument, year: int) -> None:
    """Issuing body and number on the left; motto, place and date on the right (Phụ lục I, IV)."""
    table = add_grid(document, [LEFT_COLUMN_MM, RIGHT_COLUMN_MM], rows=2)
    issuer, motto = table.cell(0, 0), table.cell(0, 1)
    if settings.superior:
        add_paragraph(issuer, settings.superior.upper(), size=13)
    for line in settings.issuer:
        add_paragraph(issuer, line, size=13, bold=True)
    add_rule(issuer, 0.4 * CAPITAL_MM * max(len(line) for line in settings.issuer), LEFT_COLUMN_MM)
    add_paragraph(motto, text("doc.nation"), size=12, bold=True)
    add_paragraph(motto, text("doc.motto"), size=13, bold=True)
    add_rule(motto, MOTTO_RULE_MM, RIGHT_COLUMN_MM)
    add_paragraph(table.cell(1, 0), settings.number, size=13)
    add_paragraph(table.cell(1, 1), text("doc.place_date", place=settings.place, year=year), italic=True)


def _title(document: DocxDocument, data: ExportData, settings: ReportDocument, report_name: str) -> None:
    add_paragraph(document, "")
    add_paragraph(document, text("doc.title"), bold=True)
    plan_date = format_doc_date(settings.plan_date)
    abstract = text("doc.abstract", number=settings.plan_number, date=plan_date, body=settings.body, name=report_name)
    add_paragraph(document, abstract, bold=True)
    add_rule(document, 55, 165)  # a third of the line
    start, end = format_doc_date(data.period.start), format_doc_date(data.report.as_of)
    add_paragraph(document, text("doc.window", start=start, end=end), italic=True, after=6)
    if len(settings.addressees) == 1:
        add_paragraph(document, text("doc.to_one", name=settings.addressees[0]), after=6)
    elif settings.addressees:
        add_paragraph(document, text("doc.to_many"))
        for index, name in enumerate(settings.addressees, start=1):
            end = "." if index == len(settings.addressees) else ";"
            add_paragraph(document, f"- {name}{end}", after=6 if end == "." else 0)


def _answers(document: DocxDocument, answers: list[AnswerRow]) -> None:
    """Each department's words, as paragraphs under the heading they answer."""
    for answer in answers:
        for line in answer_paragraphs(answer.department_name, answer.body):
            add_body(document, line)


def _standing_text(standing: ReportStanding, today: date, list_late: bool) -> str:
    """How the departments kept the reporting regime for one period: counts, names only where configured."""
    values = {"report": period_title(standing.kind, standing.year), "due": format_doc_date(standing.due)}
    done = len(standing.on_time) + len(standing.late)
    line = text("doc.report_line", submitted=done, owing=standing.owing, **values)
    if done:
        line += text("doc.report_on_time", count=len(standing.on_time))
    if standing.late:
        line += text("doc.report_late", count=len(standing.late))
        if list_late:
            names = ", ".join(text("doc.late_name", name=name, days=days) for name, days in standing.late)
            line += text("doc.report_late_names", names=names)
    if standing.not_submitted and today <= standing.due:
        line += text("doc.report_pending", count=len(standing.not_submitted))
    elif standing.not_submitted and list_late:
        line += text("doc.report_missing_names", names=", ".join(standing.not_submitted))
    elif standing.not_submitted:
        line += text("doc.report_missing", count=len(standing.not_submitted))
    return line + "."


def _results(document: DocxDocument, data: ExportData, list_late: bool) -> None:
    """Section I: each task group of the plan that has something to tell, its figures and the departments'
    results; then the targets against last year, a verdict a target, and each department's figures."""
    report, number = data.report, 0
    add_heading(document, text("doc.section_results"))
    for group in TASK_GROUPS:
        said = facts(report, group) + doc_facts(data.facts, group)
        if group == REPORTING_GROUP:
            said += [_standing_text(standing, data.today, list_late) for standing in data.reports]
        answers = [a for a in data.answers if a.part == RESULT and a.task_group == group and a.body.strip()]
        if not said and not answers:
            continue
        number += 1
        add_heading(document, text("doc.group_heading", number=number, name=group_name(group)))
        for sentence in said:
            add_body(document, sentence)
        _answers(document, answers)
    add_heading(document, text("doc.targets_heading", number=number + 1))
    header = [text(f"doc.col.{key}") for key in ("no", "target", "plan", "now", "last_year", "mark")]
    add_table(document, header, target_rows(report, data.last_year), [10, 30, 42, 30, 27, 26])
    if report.data_from is not None:
        add_body(document, text("doc.partial", day=format_doc_date(report.data_from)), italic=True)
    add_heading(document, text("doc.assessment"), bold=False, italic=True)
    for line in assessment_lines(report):
        add_body(document, line)
    add_heading(document, text("doc.departments_heading", number=number + 2))
    keys = ("no", "department", "meetings", "online", "documents", "electronic", "dossiers", "tasks")
    rows = [[str(i), d.name, *department_cells(d.report)] for i, d in enumerate(data.departments, start=1)]
    add_table(document, [text(f"doc.dep.{key}") for key in keys], rows, [10, 41, 15, 17, 15, 17, 28, 22])


def _part(document: DocxDocument, data: ExportData, part: str, heading: str, nothing: str) -> None:
    """Section II or III: what the departments answered, or that none had anything to say."""
    add_heading(document, text(heading))
    answers = [a for a in data.answers if a.part == part and a.body.strip()]
    if not answers:
        add_body(document, text(nothing))
    _answers(document, answers)


def _signature(document: DocxDocument, settings: ReportDocument) -> None:
    """Recipients on the left (12 pt bold italic heading, 11 pt list); authority, title and name on the right."""
    table = add_grid(document, [80, 85])
    recipients, signer = table.cell(0, 0), table.cell(0, 1)
    heading = text("doc.recipients")
    add_paragraph(recipients, heading, size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in settings.recipients:
        add_paragraph(recipients, f"- {line}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    add_paragraph(signer, settings.authority, bold=True)
    add_paragraph(signer, settings.signer_title, bold=True, after=72)
    add_paragraph(signer, settings.signer_name, bold=True)


def draft_report(data: ExportData, settings: ReportDocument, report_name: str) -> bytes:
    """The report on the plan for the period, as .docx bytes; `report_name` ends its title ("năm 2026")."""
    document = Document()
    setup(document)
    _letterhead(document, settings, data.today.year)
    _title(document, data, settings, report_name)
    opening = {"number": settings.plan_number, "date": format_doc_date(settings.plan_date), "body": settings.body}
    add_body(document, text("doc.opening", title=settings.plan_title, name=report_name, **opening))
    _results(document, data, settings.list_late)
    _part(document, data, DIFFICULTY, "doc.section_difficulties", "doc.difficulties_none")
    _part(document, data, PROPOSAL, "doc.section_proposals", "doc.proposals_none")
    closing = text("doc.closing", number=settings.plan_number, name=report_name, body=settings.body)
    add_body(document, closing).paragraph_format.keep_with_next = True  # the signature never stands alone
    _signature(document, settings)
    annex(document, data)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
