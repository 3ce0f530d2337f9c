"""Charts: specs from the analyses' frames, and the report's charts and PNGs."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from valuechain.i18n import t
from valuechain.loading.dataset import bundled_sample, load
from valuechain.output.report.charts import (
    coupling_chart,
    coupling_spec,
    occupancy_spec,
    png_bytes,
    to_svg,
)
from valuechain.output.report.page import ReportOptions, render_report, write_report
from valuechain.output.report.worker import ChartWorker


@pytest.fixture(scope="module")
def sample():
    return load(bundled_sample())


@pytest.fixture
def worker():
    worker = ChartWorker.start(min_cores=1)
    assert worker is not None
    yield worker
    worker.stop()


def test_coupling_spec_sorts_drops_unscored_and_marks_weak():
    frame = pd.DataFrame({"chain": ["A", "B", "C"], "coupling_score": [80.0, 30.0, None]})
    spec = coupling_spec(frame, lang="en")
    # C has no score: left out; B (30) before A (80); weak is a score below 50
    assert spec["labels"] == ["B", "A"]
    assert spec["scores"] == [30.0, 80.0]
    assert spec["weak"] == [True, False]


def test_occupancy_spec_axis_fits_the_fullest_cluster():
    frame = pd.DataFrame({"name": ["K1", "K2", "K3"], "occupancy": [1.2, 0.5, None]})
    spec = occupancy_spec(frame, target=0.6, lang="en")
    # percent: 0.5 -> 50, 1.2 -> 120 (sorted, K3 has none); axis to max(110, 120 + 10) = 130
    assert spec["labels"] == ["K2", "K1"]
    assert spec["percent"] == [50.0, 120.0]
    assert spec["meets"] == [False, True]  # target 60 %
    assert spec["xmax"] == 130.0


def test_vietnamese_charts_write_numbers_as_the_page_does():
    from valuechain.output.report.charts import key_sector_spec
    from valuechain.output.report.drawing import draw, to_svg

    # Occupancy 0.5 -> "50 %" and the target 0.6 -> "60 %" (the Vietnamese page
    # writes "29 %", with a space); English keeps "50%".
    clusters = pd.DataFrame({"name": ["K1", "K2"], "occupancy": [0.5, 1.0]})
    vi = to_svg(draw("occupancy", occupancy_spec(clusters, target=0.6, lang="vi"))[0])
    en = to_svg(draw("occupancy", occupancy_spec(clusters, target=0.6, lang="en"))[0])
    assert ">50 %<" in vi and ">100 %<" in vi and "mục tiêu 60 %" in vi
    assert ">50%<" in en and "target 60%" in en
    # Key sectors: BL and FL from 0.5 to 1.5, ticks every 0.2 -> "0,6", "0,8", ...
    indices = pd.DataFrame({"sector": ["a", "b"], "BL": [0.7, 1.2], "FL": [1.3, 0.8]})
    indices["class"] = ["forward", "backward"]
    fig, ax = draw("key_sectors", key_sector_spec(indices, lang="vi"))
    fig.canvas.draw()
    ticks = [label.get_text() for label in ax.get_xticklabels() + ax.get_yticklabels()]
    assert "0,8" in ticks and "1,2" in ticks and "1,0" in ticks
    assert not any("." in tick for tick in ticks)
    # English keeps matplotlib's own labels
    fig, ax = draw("key_sectors", key_sector_spec(indices, lang="en"))
    fig.canvas.draw()
    assert "1.0" in [label.get_text() for label in ax.get_xticklabels()]


def test_chart_functions_draw_on_a_given_axes():
    from matplotlib.figure import Figure

    fig = Figure()
    ax = fig.add_subplot()
    frame = pd.DataFrame({"chain": ["A", "B"], "coupling_score": [80.0, 30.0]})
    got_fig, got_ax = coupling_chart(frame, ax=ax, lang="en")
    assert got_fig is fig and got_ax is ax
    assert [tick.get_text() for tick in ax.get_yticklabels()] == ["B", "A"]
    assert to_svg(fig).startswith("<svg") and png_bytes(fig).startswith(b"\x89PNG")


def test_report_charts_are_the_same_every_time(sample, tmp_path):
    options = ReportOptions(lang="en", charts_dir=str(tmp_path / "charts"))
    first, pngs = render_report(sample, options)
    again, pngs_again = render_report(sample, options)
    # two years of links and clusters in the sample: all five charts, and the
    # value chart of each of the four weak chains
    assert first.count("<figure data-chart=") == 9
    assert again == first  # ids hashed from the chart's name, no date: the same SVG
    assert list(pngs) == [
        "coupling", "flows", "value_cinnamon", "value_citrus", "value_iron", "value_timber",
        "progress", "clusters", "key_sectors",
    ]  # fmt: skip
    assert all(data.startswith(b"\x89PNG") for data in pngs.values())
    assert pngs_again == pngs
    assert not (tmp_path / "charts").exists()  # rendering writes nothing


def test_a_report_that_cannot_be_written_leaves_no_charts(sample, tmp_path):
    charts_dir = tmp_path / "charts"
    options = ReportOptions(lang="en", charts_dir=str(charts_dir))
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with pytest.raises(OSError):
        write_report(sample, blocked / "report.html", options)
    assert not charts_dir.exists()
    # and a charts folder that cannot be written takes the report with it
    with pytest.raises(OSError):
        write_report(sample, tmp_path / "r.html", ReportOptions(charts_dir=str(blocked)))
    assert not (tmp_path / "r.html").exists()
    path, saved = write_report(sample, tmp_path / "ok.html", options)
    assert path.exists() and [p.name for p in saved][0] == "coupling.png"


def test_report_is_the_same_drawn_by_the_worker(sample, worker, tmp_path):
    options = ReportOptions(lang="en", charts_dir=str(tmp_path / "here"))
    here, pngs_here = render_report(sample, options)
    there, pngs_there = render_report(sample, options, worker=worker)
    # two years of links and clusters in the sample: all five charts, and the
    # value chart of each of the four weak chains
    assert here.count("<figure data-chart=") == 9
    assert there == here  # ids hashed from the chart's name, no date: the same SVG
    assert pngs_there == pngs_here


def test_sections_are_in_reading_order_though_charts_are_made_first(sample):
    # The sections with charts are built first (the worker draws meanwhile);
    # the page still reads: what to do, then why, then the lists.
    from valuechain.output.report.page import build_report

    titles = [s["title"] for s in build_report(sample, ReportOptions(lang="en")).sections]
    assert titles == [
        "Priorities",
        "Firms to protect",
        "By district",
        "How well each chain is coupled",
        t("report_h_value", "en"),
        "Progress over the years",
        t("report_h_backtest", "en"),
        "Industrial clusters",
        "Key sectors (linkage indices)",
        t("report_h_unlinked", "en"),
        "Products by linkage status",
        "Missing processing stages",
        "Suggested links",
        "Enterprise flags",
        "Load report",
        t("report_h_appendix", "en"),
    ]


def test_report_complete_when_the_worker_has_died(sample, worker):
    options = ReportOptions(lang="en")
    worker._process.kill()
    worker._process.wait()
    there, _ = render_report(sample, options, worker=worker)
    assert there == render_report(sample, options)[0]


def test_chart_failing_in_the_worker_raises_here(worker):
    worker.submit("broken", "coupling", {"labels": ["A"]})
    with pytest.raises(KeyError, match="scores"):
        worker.result("broken", "coupling", {"labels": ["A"]})
    # the worker goes on with the next chart
    spec = coupling_spec(pd.DataFrame({"chain": ["A"], "coupling_score": [70.0]}), lang="en")
    worker.submit("ok", "coupling", spec)
    svg, png = worker.result("ok", "coupling", spec)
    assert svg.startswith("<svg") and png is None


def test_report_modules_do_not_import_matplotlib():
    # matplotlib is imported when a chart is drawn, not with the modules
    code = (
        "import sys, valuechain.output.report.page, valuechain.output.report.charts; "
        "sys.exit('matplotlib' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


def test_the_chart_process_does_not_import_pandas():
    # The worker draws while the parent imports pandas and loads the data: its
    # one import (drawing, with matplotlib) must not pay for pandas as well.
    code = "import sys, valuechain.output.report.drawing; sys.exit('pandas' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0
