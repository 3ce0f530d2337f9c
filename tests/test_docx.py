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
    # The first table is the figure cards: 7 enterprises, 7 links in the worked example.
    cards = doc.tables[0]
    assert [c.text for c in cards.rows[0].cells][:2] == ["Enterprises", "Links"]
    assert [c.text for c in cards.rows[1].cells][:2] == ["7", "7"]
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
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but LibreOffice is not installed (libreoffice-writer-nogui)")
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    from pypdf import PdfReader

    path, _ = _word(tmp_path, spec5, "vi")
    profile = tmp_path / "lo-profile"  # its own profile: no clash with a running LibreOffice
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    text = " ".join(page.extract_text() for page in PdfReader(tmp_path / "report_vi.pdf").pages)
    text = " ".join(text.split())
    for expected in ("Việc cần làm", "Forest 3", "Board mill", "19,6", "Theo huyện", "bên mua mới"):
        assert expected in text, expected
