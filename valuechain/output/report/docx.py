"""The report as a Word document, for the báo cáo and tờ trình departments write.

The same `Report` as the HTML page: title, source and date, the figure cards,
then every section with its explanation, its charts as pictures and its tables
as real Word tables (numbers already written the reader's way). python-docx is
the well-kept library made for writing .docx files; nothing here lays out text
by hand.
"""

from __future__ import annotations

import io

from valuechain.output.report.model import Report

__all__ = ["docx_bytes"]

FONT = "Times New Roman"  # the face of Vietnamese administrative documents
TABLE_POINTS = 9
CHART_WIDTH_CM = 16
PAGE_WIDTH_CM = 17  # A4 less two 2 cm margins


def docx_bytes(report: Report) -> bytes:
    """The Word document of `report`, as bytes."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    doc = Document()
    style = doc.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(12)
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.left_margin = section.right_margin = Cm(2)
        section.top_margin = section.bottom_margin = Cm(2)
        section.footer.paragraphs[0].text = report.sub
    doc.core_properties.title = report.title
    doc.core_properties.language = "vi-VN" if report.lang == "vi" else "en-GB"

    doc.add_heading(report.title, level=0)
    doc.add_paragraph(report.sub)
    if report.illustrative:
        doc.add_paragraph().add_run(report.illustrative).italic = True
    _cards(doc, report.cards)
    if report.weak_note:
        doc.add_paragraph(report.weak_note)
    for part in report.sections:
        _keep_with_next(doc.add_heading(part["title"], level=1))
        for block in part["blocks"]:
            _block(doc, block, report.pngs, Cm(CHART_WIDTH_CM))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _block(doc, block: dict, pngs: dict[str, bytes], chart_width) -> None:
    kind = block["kind"]
    if kind == "text":
        paragraph = doc.add_paragraph()
        run = paragraph.add_run(block["text"])
        run.bold = block.get("cls") == "sub"
        run.italic = block.get("cls") == "more"
        if block.get("cls") in ("sub", "explain"):  # a title or explanation stays with what follows
            _keep_with_next(paragraph)
    elif kind == "figure":
        png = pngs.get(block["name"])
        if png is not None:
            doc.add_picture(io.BytesIO(png), width=chart_width)
    elif kind == "table":
        if not block["rows"]:
            doc.add_paragraph().add_run(block["empty"]).italic = True
            return
        cells = [[c["text"] for c in row["cells"]] for row in block["rows"]]
        numeric = [c["num"] for c in block["rows"][0]["cells"]]
        _table(doc, block["headers"], cells, numeric)
        if block["more"]:
            doc.add_paragraph().add_run(block["more"]).italic = True


def _keep_with_next(paragraph) -> None:
    """No heading or table title alone at the foot of a page."""
    paragraph.paragraph_format.keep_with_next = True


def _cards(doc, cards: list[dict]) -> None:
    """The key figures: a row of equal cells, the number large above its label."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    table = doc.add_table(rows=2, cols=len(cards))
    table.style = "Table Grid"
    table.autofit = False
    width = Cm(PAGE_WIDTH_CM / max(len(cards), 1))
    for i, card in enumerate(cards):
        for r, (text, size, bold) in enumerate(
            ((str(card["n"]), 16, True), (card["label"], 9, False))
        ):
            cell = table.rows[r].cells[i]
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.font.size, run.bold = Pt(size), bold
    for column in table.columns:
        column.width = width


CHAR_CM = 0.21  # a character of 9 pt Times, bold headers included
PADDING_CM = 0.5  # a cell's left and right margins
MIN_CM = 1.4


def _widths_cm(headers: list[str], rows: list[list[str]]) -> list[float]:
    """Each column as wide as its longest cell (a header may wrap at its words);
    when they do not fit the page, the wide columns give up the difference and
    their text wraps, so numbers are never broken."""
    chars = [
        max([0] + [len(word) for word in str(h).split()] + [len(str(r[i])) for r in rows])
        for i, h in enumerate(headers)
    ]
    # (no column narrower than a short Vietnamese word in bold: "cụm", "Yếu")
    widths = [max(MIN_CM, PADDING_CM + CHAR_CM * c) for c in chars]
    excess = sum(widths) - PAGE_WIDTH_CM
    narrow = 2.0
    room = sum(w - narrow for w in widths if w > narrow)
    if excess > 0 and room > 0:
        share = min(1.0, excess / room)
        widths = [w - share * (w - narrow) if w > narrow else w for w in widths]
    return widths


def _table(doc, headers: list[str], rows: list[list[str]], numeric: list[bool]) -> None:
    """A Word table with a bold header row repeated on every page; numbers to the right."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    table = doc.add_table(rows=1 + len(rows), cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    for column, width in zip(table.columns, _widths_cm(headers, rows), strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice reads
        for cell in column.cells:  # and each cell's, which Word reads
            cell.width = column.width
    header_row = table.rows[0]
    flag = OxmlElement("w:tblHeader")  # repeat the header row on each page
    flag.set(qn("w:val"), "true")
    header_row._tr.get_or_add_trPr().append(flag)
    for i, text in enumerate(headers):
        run = header_row.cells[i].paragraphs[0].add_run(str(text))
        run.bold = True
        run.font.size = Pt(TABLE_POINTS)
    for i in range(len(headers)):  # the header row stays with the first row
        _keep_with_next(header_row.cells[i].paragraphs[0])
    for r, row in enumerate(rows, start=1):
        cells = table.rows[r].cells
        split = OxmlElement("w:cantSplit")  # a row is never cut across two pages
        table.rows[r]._tr.get_or_add_trPr().append(split)
        for i, text in enumerate(row):
            paragraph = cells[i].paragraphs[0]
            paragraph.add_run(str(text)).font.size = Pt(TABLE_POINTS)
            if numeric and numeric[i]:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
