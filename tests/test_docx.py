"""The report as a Word document: the same sections, tables and charts, numbers
the reader's way; converted to PDF by LibreOffice (headless) and read back.

Locally the PDF test skips when LibreOffice is absent; in CI (CI=true) a
missing LibreOffice is a failure."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from valuechain.cli import main


def _soffice() -> str:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but LibreOffice is not installed (libreoffice-writer-nogui)")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    return soffice


def _pdf_pages(tmp_path, docx) -> list[str]:
    """The text of each page of the document as LibreOffice lays it out."""
    from pypdf import PdfReader

    profile = tmp_path / "lo-profile"  # its own profile: no clash with a running LibreOffice
    subprocess.run(
        [_soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "pdf", "--outdir", str(tmp_path), str(docx)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    pdf = tmp_path / (docx.stem + ".pdf")
    return [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]


def _word(tmp_path, spec5, lang: str):
    from docx import Document

    out = tmp_path / f"report_{lang}.docx"
    result = CliRunner().invoke(
        main,
        ["--lang", lang, "report", str(spec5), "-o", str(tmp_path / "r.html"), "--docx", str(out)],
    )
    assert result.exit_code == 0, result.stderr
    return out, Document(out)


def test_the_word_report_has_the_sections_tables_and_charts(tmp_path, spec5):
    path, doc = _word(tmp_path, spec5, "en")
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[:4] == [
        "Priorities",
        "Firms to protect",
        "By district",
        "How well each chain is coupled",
    ]
    # The first table is the figure cards, each number above its label: 7
    # enterprises, 7 links in the worked example; equal columns.
    cards = doc.tables[0]
    assert [c.text for c in cards.rows[0].cells][:2] == ["7", "7"]
    assert [c.text for c in cards.rows[1].cells][:2] == ["Enterprises", "Links"]
    assert len({c.width for c in cards.rows[0].cells}) == 1
    # Then the connect list: F3 sells 200 of log outside, P1 is 19.6 km away.
    connect = doc.tables[1]
    assert [c.text for c in connect.rows[1].cells] == [
        "1", "Forest 3", "B", "Log", "Board mill", "A", "19.6", "200", "new buyer"
    ]  # fmt: skip
    assert len(doc.inline_shapes) >= 2  # the charts, as pictures
    assert "Data: " in doc.sections[0].footer.paragraphs[0].text


def test_vietnamese_numbers_in_the_word_report(tmp_path, spec5):
    _, doc = _word(tmp_path, spec5, "vi")
    assert [c.text for c in doc.tables[1].rows[1].cells][6] == "19,6"


def test_the_word_report_converts_to_pdf(tmp_path, spec5):
    path, _ = _word(tmp_path, spec5, "vi")
    text = " ".join(_pdf_pages(tmp_path, path))
    for expected in ("Việc cần làm", "Forest 3", "Board mill", "19,6", "Theo huyện", "bên mua mới"):
        assert expected in text, expected


def test_the_sample_s_word_report_keeps_headings_with_their_text_and_an_appendix(tmp_path):
    from docx import Document

    out = tmp_path / "sample.docx"
    result = CliRunner().invoke(
        main, ["report", "-o", str(tmp_path / "r.html"), "--docx", str(out)]
    )
    assert result.exit_code == 0, result.stderr
    doc = Document(out)
    # Headings, table titles and explanations stay with what follows them.
    for paragraph in doc.paragraphs:
        if paragraph.style.name.startswith("Heading 1") or (
            paragraph.runs and paragraph.runs[0].bold and paragraph.text.startswith("Kết nối")
        ):
            assert paragraph.paragraph_format.keep_with_next, paragraph.text
    # "Việc cần làm": ten connect rows in the body, the rest in the appendix.
    connect = doc.tables[1]
    assert [r.cells[0].text for r in connect.rows[1:]] == [str(k) for k in range(1, 11)]
    headings = [p.text for p in doc.paragraphs if p.style.name.startswith("Heading")]
    assert headings[-1].startswith("Phụ lục")
    pages = _pdf_pages(tmp_path, out)
    # No page ends with a heading: each heading's page holds text after it.
    for heading in headings[1:]:
        page = next(p for p in pages if heading in p)
        assert not page.endswith(heading), heading
    # The appendix comes last and goes on from rank 11.
    appendix = next(k for k, p in enumerate(pages) if "Phụ lục" in p)
    assert " 11 " in " ".join(pages[appendix:])
