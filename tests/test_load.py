"""The loader (README, "Input: a dataset"): every dress of the same data loads identically; every
bad row is reported with file, spreadsheet row and column; nothing is lost."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from tests.conftest import encode, write_dataset
from valuechain.cli import main
from valuechain.errors import LoadError
from valuechain.loading.dataset import bundled_sample, load, vsic_type

# One small dataset with Vietnamese text and decimals, written in many dresses.
# Decimals: lat 22.15, lon 105.85; a volume of 1,234.5; a value of 4,824 (whose
# thousands dot a decimal-comma file must read as 4824, not 4.824).
ROWS_E = [
    ["id", "name", "type", "district", "lat", "lon", "outputs", "inputs", "capacity"],
    ["R1", "Rừng Chợ Đồn", "forestry", "Chợ Đồn", "22.15", "105.85", "log", "", "1234.5"],
    ["P1", "Nhà máy ván ép", "processor", "Chợ Mới", "22.05", "105.8", "plywood", "log", "300"],
    ["S1", "Thương mại Hà", "service", "Chợ Mới", "", "", "plywood", "plywood", ""],
]
ROWS_L = [
    ["source", "target", "product", "volume", "value"],
    ["R1", "P1", "log", "1234.5", "4824"],
    ["P1", "S1", "plywood", "80", "400.25"],
    ["S1", "EXT:Hà Nội", "plywood", "80", "480"],
]


def _csv(rows: list[list[str]], sep: str = ",") -> str:
    return "\n".join(sep.join(r) for r in rows) + "\n"


def _comma_decimal(rows: list[list[str]]) -> list[list[str]]:
    """Vietnamese Excel: decimal comma, dot thousands (1234.5 → 1.234,5; 4824 → 4.824)."""

    def cell(c: str) -> str:
        try:
            x = float(c)
        except ValueError:
            return c
        whole, _, frac = f"{x:,.6f}".rstrip("0").rstrip(".").partition(".")
        whole = whole.replace(",", ".")
        return f"{whole},{frac}" if frac else whole

    return [rows[0]] + [[cell(c) for c in r] for r in rows[1:]]


def _dresses(tmp: Path) -> dict[str, Path]:
    out = {}
    out["plain"] = write_dataset(tmp / "plain", enterprises=_csv(ROWS_E), links=_csv(ROWS_L))
    out["bom"] = write_dataset(
        tmp / "bom", enterprises="\ufeff" + _csv(ROWS_E), links="\ufeff" + _csv(ROWS_L)
    )
    out["semicolon_comma"] = write_dataset(
        tmp / "semi",
        enterprises=_csv(_comma_decimal(ROWS_E), ";"),
        links=_csv(_comma_decimal(ROWS_L), ";"),
    )
    out["cp1258"] = write_dataset(
        tmp / "cp1258", enterprises=_csv(ROWS_E), links=_csv(ROWS_L), encoding="cp1258"
    )
    out["utf16_tab"] = write_dataset(
        tmp / "utf16", enterprises=_csv(ROWS_E, "\t"), links=_csv(ROWS_L, "\t"), encoding="utf-16"
    )
    nfd = [[unicodedata.normalize("NFD", c) for c in r] for r in ROWS_E]
    out["nfd"] = write_dataset(
        tmp / "nfd",
        enterprises=_csv(nfd),
        links=_csv([[unicodedata.normalize("NFD", c) for c in r] for r in ROWS_L]),
    )
    vi_types = [ROWS_E[0]] + [
        r[:2]
        + [{"forestry": "Lâm nghiệp", "processor": "CHẾ BIẾN", "service": "thương mại"}[r[2]]]
        + r[3:]
        for r in ROWS_E[1:]
    ]
    out["vietnamese_types"] = write_dataset(
        tmp / "vitypes", enterprises=_csv(vi_types), links=_csv(ROWS_L)
    )
    mixed = [
        [" ID ", "Name", "TYPE", "District", "Lat", "LON", "Outputs", "INPUTS", "Capacity"]
    ] + ROWS_E[1:]
    out["mixed_case_headers"] = write_dataset(
        tmp / "mixed",
        enterprises=_csv(mixed),
        links=_csv([["Source", " TARGET", "Product", "Volume", "VALUE"]] + ROWS_L[1:]),
    )
    out["xlsx"] = _workbook(tmp / "book.xlsx")
    return out


def _workbook(path: Path) -> Path:
    book = Workbook()
    book.remove(book.active)
    for name, rows in (("enterprises", ROWS_E), ("links", ROWS_L)):
        sheet = book.create_sheet(name)
        sheet.append(rows[0])
        for r in rows[1:]:
            sheet.append([float(c) if _is_number(c) else c for c in r])  # numbers as numbers
    book.save(path)
    return path


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _summary(path: Path) -> dict:
    result = CliRunner().invoke(main, ["summary", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_dress_gives_the_same_summary_and_numbers(tmp_path: Path) -> None:
    dresses = _dresses(tmp_path)
    expected = _summary(dresses["plain"])
    # Hand count: 3 enterprises (one each of forestry, processor, service), 3 links
    # of which R1→P1 and P1→S1 are local; value is on every link.
    assert expected["enterprises"] == 3
    assert (expected["local_links"], expected["external_links"]) == (2, 1)
    assert expected["by_district"] == {"Chợ Mới": 2, "Chợ Đồn": 1}
    assert expected["weight"] == "value"
    base = load(dresses["plain"])
    for name, path in dresses.items():
        assert _summary(path) == expected, name
        ds = load(path)
        # In the decimal-comma dress, 4.824 reads either way: the column's own
        # 400,25 shows the comma, so it is 4824, and a note says so.
        notes = [(p["level"], p["row"], p["column"], p["code"]) for p in ds.report.problems]
        expected_notes = (
            [("info", 2, "value", "ambiguous_number")] if name == "semicolon_comma" else []
        )
        assert notes == expected_notes, (name, ds.report.frame("en"))
        pd.testing.assert_frame_equal(
            ds.enterprises[["id", "name", "type", "district", "lat", "lon", "capacity"]],
            base.enterprises[["id", "name", "type", "district", "lat", "lon", "capacity"]],
            obj=name,
        )
        pd.testing.assert_frame_equal(
            ds.links[["source", "target", "product", "volume", "value"]],
            base.links[["source", "target", "product", "volume", "value"]],
            obj=name,
        )
    # 1.234,5 and 4.824 in the decimal-comma file are 1234.5 and 4824.
    semi = load(dresses["semicolon_comma"])
    assert semi.links["volume"].tolist()[0] == 1234.5
    assert semi.links["value"].tolist()[0] == 4824.0
    assert load(dresses["nfd"]).enterprises["name"][0] == unicodedata.normalize(
        "NFC", "Rừng Chợ Đồn"
    )


def test_decimal_option_overrides_detection(tmp_path: Path) -> None:
    # "4.824" alone is ambiguous in a comma file: detected as a decimal point file
    # it is 4.824; --decimal , makes it 4824.
    folder = write_dataset(
        tmp_path, enterprises=_csv(ROWS_E), links="source,target,value\nR1,P1,4.824\n"
    )
    assert load(folder).links["value"][0] == pytest.approx(4.824)
    assert load(folder, decimal=",").links["value"][0] == 4824.0


BAD_ENTERPRISES = """id,name,type,vsic,lat,lon,capacity,district
A1,Farm A,farm,,22.1,105.8,100,X
A1,Farm A again,farm,,22.1,105.8,100,X
B1,Mystery,spaceship,,,,,X
C1,Rice mill,,1061,,,,X
D1,Far north,farm,,122.5,105.8,,X
E1,Bad cap,mine,,,,abc,X
"""
# Spreadsheet rows (header = 1): A1=2, A1 again=3, B1=4, C1=5, D1=6, E1=7.
BAD_LINKS = """source,target,product,volume,value
A1,C1,,10,5
A1,ZZ9,,1,1
C1,C1,,1,1
E1,C1,,-5,2
"""
# links rows: A1→C1=2, A1→ZZ9=3, C1→C1=4, E1→C1 (negative volume)=5.


def test_bad_rows_are_reported_with_file_row_and_column(tmp_path: Path) -> None:
    folder = write_dataset(tmp_path, enterprises=BAD_ENTERPRISES, links=BAD_LINKS)
    result = CliRunner().invoke(main, ["--lang", "en", "validate", str(folder), "--format", "csv"])
    assert result.exit_code == 3
    lines = result.stdout.splitlines()
    assert lines[0] == "level,file,row,column,message"
    ent = str(folder / "enterprises.csv")
    lnk = str(folder / "links.csv")
    assert lines[1:] == [
        f"error,{ent},3,id,\"duplicate id 'A1' (first at row 2): row rejected, the first stays\"",
        f"error,{ent},4,type,\"unknown type 'spaceship' and no usable vsic: row rejected; "
        "accepted types: farm (nông nghiệp), forestry (lâm nghiệp), mine (khai khoáng), "
        'processor (chế biến), service (dịch vụ)"',
        f'warning,{ent},6,lat,"coordinate 122.5 outside ±90: cell dropped, row kept"',
        f"warning,{ent},7,capacity,\"unreadable number 'abc': cell dropped, row kept\"",
        f"error,{lnk},3,target,'ZZ9' is neither an enterprise id nor EXT…: row rejected",
        f"error,{lnk},4,target,'C1' is a self-link: row rejected".replace(
            "'C1' is a self-link", "self-link 'C1'"
        ),
        f'warning,{lnk},5,volume,"negative volume -5: cell dropped, row kept"',
    ]
    ds = load(folder)
    # Counting closes: rows read = loaded + rejected, per table.
    assert ds.report.counts["enterprises"] == {"read": 6, "loaded": 4, "rejected": 2}
    assert ds.report.counts["links"] == {"read": 4, "loaded": 2, "rejected": 2}
    summary = _summary(folder)
    assert summary["rejected_rows"] == 4
    assert summary["by_type"] == {"farm": 2, "mine": 1, "processor": 1}  # C1 from VSIC 1061
    ent_rows = ds.enterprises.set_index("id")
    assert ent_rows.loc["C1", "type"] == "processor"
    assert pd.isna(ent_rows.loc["D1", "lat"]) and ent_rows.loc["D1", "lon"] == 105.8
    assert pd.isna(ent_rows.loc["E1", "capacity"])
    assert pd.isna(ds.links.set_index("source").loc["E1", "volume"])


def test_vsic_divisions() -> None:
    # VSIC to type (README, "Input: a dataset"): 01 farm, 02 forestry, 03 farm,
    # 05–09 mine, 10–33 processor, else service.
    codes = pd.Series(
        [
            "0111",
            "0210",
            "0321",
            "0510",
            "0990",
            "1010",
            "3320",
            "3510",
            "9700",
            "111",
            "A0111",
            "",
            "xx",
        ]
    )
    assert vsic_type(codes).tolist() == [
        "farm",
        "forestry",
        "farm",
        "mine",
        "mine",
        "processor",
        "processor",
        "service",
        "service",
        "farm",
        "farm",
        None,
        None,
    ]


def test_types_vsic_and_duplicates_together(tmp_path: Path) -> None:
    # Row 2: type 'xyz' unknown, VSIC 0210 is forestry: kept, with a warning.
    # Row 3: id A again: rejected, the first (row 2) stays. Row 4: no type,
    # VSIC 1610 is a processor: kept silently (nothing was written to correct).
    # Row 5: 'spaceship' and no VSIC: rejected. Row 6: id C again, but the first
    # C was rejected, so this one loads. Loaded: A forestry, B processor, C farm.
    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type,vsic\nA,a,xyz,0210\nA,a2,farm,\nB,b,,1610\n"
        "C,c,spaceship,\nC,c2,farm,\n",
        links="source,target\n",
    )
    ds = load(folder)
    assert ds.enterprises[["id", "name", "type"]].values.tolist() == [
        ["A", "a", "forestry"],
        ["B", "b", "processor"],
        ["C", "c2", "farm"],
    ]
    report = ds.report.frame("en")
    assert report[["level", "row", "column"]].values.tolist() == [
        ["warning", 2, "type"],
        ["error", 3, "id"],
        ["error", 5, "type"],
    ]


def test_unknown_type_with_vsic_is_rescued_with_a_warning(tmp_path: Path) -> None:
    folder = write_dataset(
        tmp_path, enterprises="id,name,type,vsic\nA,Alpha,xyz,0210\n", links="source,target\n"
    )
    ds = load(folder)
    assert ds.enterprises["type"].tolist() == ["forestry"]
    report = ds.report.frame("en")
    assert report[["level", "row", "column"]].values.tolist() == [["warning", 2, "type"]]


def test_duplicate_links_merge_and_sum(tmp_path: Path) -> None:
    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type\nA,a,farm\nB,b,processor\n",
        links="source,target,product,volume,value\nA,B,x,10,1\nA,B,x,5,\nA,B,y,1,1\n",
    )
    ds = load(folder)
    # Rows 2 and 3 share (A, B, x): one link of volume 10 + 5 = 15, value 1 (3's is empty).
    assert ds.links[["product", "volume", "value"]].values.tolist() == [
        ["x", 15.0, 1.0],
        ["y", 1.0, 1.0],
    ]
    report = ds.report.frame("en")
    assert report.loc[report["row"] == 3, "message"].str.contains("row 2").all()
    assert ds.report.counts["links"] == {"read": 3, "loaded": 3, "rejected": 0}


def test_unknown_product_goes_to_unclassified(tmp_path: Path) -> None:
    folder = write_dataset(
        tmp_path, enterprises="id,name,type,outputs\nA,a,farm,log;durian\n", links="source,target\n"
    )
    ds = load(folder)  # the default catalog has `log`, not `durian`
    row = ds.products.set_index("code").loc["durian"]
    assert (row["chain"], row["stage"]) == ("unclassified", 1)
    report = ds.report.frame("en")
    assert report[["level", "row", "column"]].values.tolist() == [["warning", 2, "outputs"]]


def test_unknown_columns_are_kept(tmp_path: Path) -> None:
    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type,Chủ hộ\nA,a,farm,Bà Lan\n",
        links="source,target,product,ghi chú\nA,EXT,log,qua thương lái\n",
    )
    ds = load(folder)
    assert ds.enterprises["Chủ hộ"].tolist() == ["Bà Lan"]
    assert ds.links["ghi chú"].tolist() == ["qua thương lái"]


def test_missing_column_is_fatal_and_names_the_closest(tmp_path: Path) -> None:
    folder = write_dataset(
        tmp_path, enterprises="id,nmae,type\nA,a,farm\n", links="source,target\n"
    )
    with pytest.raises(LoadError) as err:
        load(folder)
    assert "required column 'name' is missing" in str(err.value)
    assert "closest match: 'nmae'" in str(err.value)
    result = CliRunner().invoke(main, ["--lang", "en", "summary", str(folder)])
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output


def test_missing_table_is_fatal(tmp_path: Path) -> None:
    folder = write_dataset(tmp_path, enterprises="id,name,type\nA,a,farm\n", links="x")
    (folder / "links.csv").unlink()
    result = CliRunner().invoke(main, ["--lang", "en", "validate", str(folder)])
    assert result.exit_code == 3
    assert "required table 'links' is missing (links.csv)" in result.stderr
    # A workbook without an enterprises sheet, likewise.
    book = Workbook()
    book.active.title = "links"
    book.active.append(["source", "target"])
    book.save(tmp_path / "no_enterprises.xlsx")
    result = CliRunner().invoke(
        main, ["--lang", "en", "validate", str(tmp_path / "no_enterprises.xlsx")]
    )
    assert result.exit_code == 3
    assert (
        "required table 'enterprises' is missing (sheet 'enterprises'); found: links"
        in result.stderr
    )


def test_ragged_and_blank_rows_keep_spreadsheet_numbering(tmp_path: Path) -> None:
    # Row 3 is blank (skipped, still numbered), row 4 has an extra cell, row 5
    # is short (missing cells are empty).
    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type\nA,a,farm\n\nB,b,farm,extra\nC,c\n",
        links="source,target\n",
    )
    ds = load(folder)
    report = ds.report.frame("en")
    assert report[["level", "row"]].values.tolist() == [["warning", 4], ["error", 5]]
    assert ds.enterprises["id"].tolist() == ["A", "B"]
    assert ds.report.counts["enterprises"] == {"read": 3, "loaded": 2, "rejected": 1}


def test_line_break_inside_a_quoted_name_is_one_record(tmp_path: Path) -> None:
    # Record 2 (rows 2) spans two lines of the file; the next records are
    # spreadsheet rows 3 and 4, and the row-4 error must say 4, not 5.
    folder = write_dataset(
        tmp_path,
        enterprises='id,name,type\nA,"Hợp tác xã\nBằng Vân",farm\nB,b,farm\n,c,farm\n',
        links="source,target\nA,B\n",
    )
    ds = load(folder)
    assert ds.enterprises["name"].tolist() == ["Hợp tác xã\nBằng Vân", "b"]
    report = ds.report.frame("en")
    assert report[["row", "column"]].values.tolist() == [[4, "id"]]


def test_bundled_sample_loads_clean() -> None:
    ds = load(bundled_sample())
    assert ds.report.rejected_rows == 0
    assert len(ds.enterprises) >= 150 and len(ds.links) >= 300
    assert ds.links["volume"].notna().all() and ds.links["value"].notna().all()


def test_inputs_are_never_modified(tmp_path: Path) -> None:
    folder = write_dataset(tmp_path, enterprises=BAD_ENTERPRISES, links=BAD_LINKS)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    load(folder)
    CliRunner().invoke(main, ["validate", str(folder)])
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_cp1258_bytes_are_legacy(tmp_path: Path) -> None:
    # Guard the fixture itself: the cp1258 dress must not be valid UTF-8.
    with pytest.raises(UnicodeDecodeError):
        encode("Chợ Đồn", "cp1258").decode("utf-8")


def test_every_rejection_rule_names_its_row(tmp_path):
    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type,outputs\nA,a,farm,log\n,no id,farm,\nB,b,processor,\n",
        # rows: 2 ok, 3 empty source, 4 ext→ext, 5 ok
        links="source,target\nA,B\n,B\nEXT:x,EXT:y\nA,EXT\n",
        products=(
            "code,name,chain,stage\nlog,Log,timber,1\n,nameless,timber,1\n"
            "log,Log again,timber,1\nbad,Bad,timber,7\nnochain,No chain,,2\n"
        ),
    )
    report = load(folder).report.frame("en")
    got = [
        (Path(f).name, r, c, lvl)
        for f, r, c, lvl in report[["file", "row", "column", "level"]].itertuples(index=False)
    ]
    assert got == [
        ("enterprises.csv", 3, "id", "error"),
        ("links.csv", 3, "source", "error"),
        ("links.csv", 4, "target", "error"),
        ("products.csv", 3, "code", "error"),
        ("products.csv", 4, "code", "error"),
        ("products.csv", 5, "stage", "error"),
        ("products.csv", 6, "chain", "error"),
    ]
    assert load(folder).report.counts["products"] == {"read": 5, "loaded": 1, "rejected": 4}


def test_workbook_rows_after_leading_blank_rows(tmp_path):
    book = Workbook()
    book.remove(book.active)
    sheet = book.create_sheet("enterprises")
    sheet.append([])
    sheet.append([])
    sheet.append(["id", "name", "type"])  # the header is on spreadsheet row 3
    sheet.append(["A", "a", "farm"])
    sheet.append(["B", "b", "nonsense"])  # row 5
    book.create_sheet("links").append(["source", "target"])
    book.save(tmp_path / "book.xlsx")
    report = load(tmp_path / "book.xlsx").report.frame("en")
    assert report[["file", "row", "column"]].values.tolist() == [
        ["book.xlsx:enterprises", 5, "type"]
    ]


def test_product_seen_only_in_links(tmp_path):
    from valuechain.analysis.products import product_status
    from valuechain.analysis.weights import resolve_weight

    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type\nA,a,farm\nB,b,processor\n",
        links="source,target,product\nA,B,honey\n",
    )
    ds = load(folder)
    out = product_status(ds, resolve_weight(ds.links)[1]).set_index("product")
    # honey: nobody lists it, one local link of 1 → local share 1 → linked.
    assert out.loc["honey", ["chain", "local_links", "status"]].tolist() == [
        "unclassified",
        1,
        "linked",
    ]


def test_endpoint_rows_follow_year_cuts_and_slices() -> None:
    # The rows the loader found while validating, carried through for_year and
    # pooled(), are the rows a fresh lookup of each id gives (-1 outside).
    from dataclasses import replace

    import numpy as np

    ds = load(bundled_sample())
    for cut in (ds, ds.for_year(None), ds.for_year(2021), ds.for_year("all")):
        fresh = replace(cut)  # a copy knows nothing: it looks the ids up itself
        assert fresh._ends is None
        for kept, looked_up in zip(cut.endpoint_rows(), fresh.endpoint_rows(), strict=True):
            np.testing.assert_array_equal(kept, looked_up)
        src, tgt = cut.endpoint_rows()
        ids = cut.enterprises["id"].to_numpy()
        assert (ids[src[src >= 0]] == cut.links["source"].to_numpy()[src >= 0]).all()
        assert ((tgt < 0) == cut.links["target_ext"].to_numpy()).all()
    np.testing.assert_array_equal(
        ds.enterprises["id"].to_numpy()[ds.offer_rows()], ds.offers["id"].to_numpy()
    )


@pytest.mark.parametrize("seed", range(8))
def test_nfc_series_matches_normalising_every_cell(seed):
    # The loader normalises only cells that can change (not plain ASCII, or a
    # space or control byte at an end) and keeps an unchanged column as it is.
    # Reference: NFC then trim on every cell, as pyarrow's kernels do it.
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from valuechain.text import nfc_series

    rng = np.random.default_rng(seed)
    pieces = ["a", "Z", "7", " ", "\t", "\n", "\x7f", "\xa0", "\u3000", "e\u0302", "ệ", "Đ", "x"]
    few = ["Chợ Đồn", "Cho\u0302\u0323 Do\u0302\u0300n", " Ba Bể ", "Na Rì"]
    n = int(rng.integers(1, 3000))
    if seed % 2:  # many repeats: the distinct-value path
        cells = [few[i] for i in rng.integers(0, len(few), n)]
    else:
        cells = ["".join(rng.choice(pieces, int(rng.integers(0, 6)))) for _ in range(n)]
    if seed == 0:  # plain ASCII but for a line break at one end: one cell to fix
        cells = ["E" + str(i) for i in range(n)]
        cells[n // 2] += "\n"
    if seed == 2:  # plain ASCII, nothing to fix
        cells = ["E" + str(i) for i in range(n)]
    if seed == 4:  # ASCII but for two cells, found from the buffer's bytes, to normalise
        cells = ["E" + str(i) for i in range(max(n, 100))]
        cells[3], cells[-1] = "EXT:Ha\u0300 No\u0323i", "\u00ea\u0323"  # the last starts high
    values = pd.Series(cells + [None], dtype=object)
    # Chunked input, as the CSV reader hands it over.
    arrow = pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([cells[:7], cells[7:], [None]])))
    ref = pc.utf8_trim_whitespace(pc.utf8_normalize(pa.array(cells + [""]), form="NFC"))
    expected = ref.to_pylist()
    assert nfc_series(values).tolist() == expected
    assert nfc_series(arrow).tolist() == expected


@pytest.mark.parametrize("seed", range(6))
def test_link_keys_equal_exactly_for_equal_links(seed):
    # Keys are packed from row numbers and label numbers in place; the reference
    # is the plain tuple (source, target, product, year): equal keys exactly
    # when the tuples are equal, outside labels on either end included.
    import numpy as np

    from valuechain.loading.links import link_keys

    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(1, 400)), int(rng.integers(1, 6))
    ends = ["E0", "E1", "E2", "E3", "E4"][:n] + ["EXT", "EXT:Hà Nội", "EXT:China"]
    src = rng.choice(ends, m)
    tgt = rng.choice(ends, m)
    frame = pd.DataFrame(
        {
            "source": pd.Series(src, dtype=str),
            "target": pd.Series(tgt, dtype=str),
            "product": pd.Series(rng.choice(["log", "tea", ""], m), dtype=str),
            "year": pd.array(rng.choice([2021, 2024, None], m), dtype="Int64"),
        }
    )
    rows = [
        np.array([int(e[1:]) if not e.startswith("EXT") else -1 for e in col]) for col in (src, tgt)
    ]
    keys = link_keys(frame, rows, n).tolist()
    tuples = [tuple(str(v) for v in r) for r in frame.itertuples(index=False)]
    for i in range(m):
        for j in range(i + 1, m):
            assert (keys[i] == keys[j]) == (tuples[i] == tuples[j]), (tuples[i], tuples[j])


@pytest.mark.parametrize("seed", range(8))
def test_duplicate_links_merge_like_grouping_whole_links(seed):
    # The loader tells repeats by packed integer keys and a sort. The reference
    # groups the plain tuples (source, target, product, year): the first of
    # each group stays with the group's sums (all-empty stays empty), every
    # other is reported as a repeat of it.
    from types import SimpleNamespace

    import numpy as np

    from valuechain.loading.links import merge_duplicate_links
    from valuechain.loading.report import LoadReport

    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(1, 300)), int(rng.integers(1, 4))
    ends = ["E0", "E1", "E2"][:n] + ["EXT", "EXT:Hà Nội", "EXT:China"]
    src, tgt = rng.choice(ends, m), rng.choice(ends, m)
    volume = rng.choice([1.5, 2.0, np.nan], m)
    frame = pd.DataFrame(
        {
            "source": pd.Series(src, dtype=str),
            "target": pd.Series(tgt, dtype=str),
            "product": pd.Series(rng.choice(["log", "tea", ""], m), dtype=str),
            "year": pd.array(rng.choice([2021, 2024, None], m), dtype="Int64"),
            "volume": volume,
            "value": volume * 10,
            "_row": np.arange(2, m + 2),
        }
    )
    rows = [
        np.array([int(e[1:]) if not e.startswith("EXT") else -1 for e in col]) for col in (src, tgt)
    ]
    merged, report = frame.copy(), LoadReport()
    keep = merge_duplicate_links(merged, rows, n, SimpleNamespace(file="links.csv"), report)

    parts = frame[["source", "target", "product", "year"]].itertuples(index=False)
    whole = pd.Series([repr(tuple(p)) for p in parts])
    first = ~whole.duplicated().to_numpy()
    sums = frame.groupby(whole, sort=False)[["volume", "value"]].sum(min_count=1)
    assert (keep is None) == first.all()
    keep = np.ones(m, dtype=bool) if keep is None else keep
    assert keep.tolist() == first.tolist()
    expected = sums.loc[whole[first]].to_numpy()
    assert np.array_equal(
        merged.loc[keep, ["volume", "value"]].to_numpy(), expected, equal_nan=True
    )
    first_row = frame["_row"].groupby(whole).transform("first")
    assert [(p["row"], p["params"]["first"]) for p in report.problems] == list(
        zip(frame["_row"][~first], first_row[~first], strict=True)
    )


def test_characters_skipped_by_normalisation_are_nfc_in_any_company():
    # The loader leaves cells made only of U+0000–U+02FF and U+1E00–U+1EFF as
    # they are. That is sound when each such character is NFC alone, has
    # combining class 0 (nothing to reorder), and is never the second part of a
    # canonical decomposition (so it never composes with what precedes it).
    import sys

    import pyarrow as pa
    import pyarrow.compute as pc

    from valuechain.text import _NOT_SURELY_NFC

    every = [chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF]
    flagged = pc.match_substring_regex(pa.array(every), _NOT_SURELY_NFC).to_pylist()
    safe = [c for c, f in zip(every, flagged, strict=True) if not f]
    assert [ord(c) for c in safe] == [*range(0x300), *range(0x1E00, 0x1F00)]
    for c in safe:
        assert unicodedata.normalize("NFC", c) == c and unicodedata.combining(c) == 0
    seconds = set()
    for c in every:
        parts = unicodedata.decomposition(c).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            seconds.add(chr(int(parts[1], 16)))
    assert not seconds & set(safe)


def test_enterprise_id_that_links_would_read_as_outside_is_flagged(tmp_path: Path) -> None:
    # One rule for both: an id starting with EXT in any case ("ext9", row 3) is
    # warned about, and a link naming it is indeed read as an outside party.
    folder = write_dataset(
        tmp_path,
        enterprises="id,name,type\nA,a,farm\next9,b,processor\nNEXT,c,farm\n",
        links="source,target\nA,ext9\n",
    )
    ds = load(folder)
    report = ds.report.frame("en")
    assert report[["level", "row", "column"]].values.tolist() == [["warning", 3, "id"]]
    assert ds.links[["target", "target_ext", "local"]].values.tolist() == [["EXT9", True, False]]


def test_years_that_are_not_calendar_years_are_dropped_not_fatal(tmp_path: Path) -> None:
    # A year is a whole number of four digits. Row 2 (2021) and row 7 (2024.0,
    # a whole number written with a decimal) stay; each other year cell is
    # dropped with a warning naming its row, and every link is kept (each comes
    # from its own farm, so none merge). 1e300 and a twenty-digit year once
    # stopped the load: they do not fit a 64-bit integer.
    years = ["2021", "2021.5", "abc", "1e300", "99999999999999999999", "2024.0", "24", ""]
    farms = "".join(f"F{i},f,farm\n" for i in range(len(years)))
    links = "source,target,year\n" + "".join(f"F{i},B,{y}\n" for i, y in enumerate(years))
    folder = write_dataset(
        tmp_path, enterprises="id,name,type\nB,b,processor\n" + farms, links=links
    )
    ds = load(folder, year="all")  # every year's links, to see each year cell
    report = ds.report.frame("en").dropna(subset=["row"])
    assert report[["level", "row", "column"]].values.tolist() == [
        ["warning", row, "year"] for row in (3, 4, 5, 6, 8)
    ]
    assert report["message"].iloc[-1] == (
        "unreadable year '24' (a whole number of four digits): cell dropped, row kept"
    )
    assert ds.report.counts["links"] == {"read": 8, "loaded": 8, "rejected": 0}
    assert ds.links["year"].astype(object).where(ds.links["year"].notna(), None).tolist() == [
        2021,
        None,
        None,
        None,
        None,
        2024,
        None,
        None,
    ]
    assert ds.years == [2021, 2024]


@pytest.mark.parametrize("dtype", ["str", "object"])  # the CSV reader's text; a workbook's
def test_years_by_distinct_cell_and_by_cell(dtype) -> None:
    # Text columns are parsed once per distinct cell, other columns cell by cell:
    # both give the same years. ' 2022 ' is 2022 once stripped, '2,021' is 2021
    # (a thousands comma), '1e3' is 1000 (the first four-digit year); blank and
    # missing cells are no year and not bad; 2021.5 and 'x' are bad.
    from valuechain.loading.links import _years

    cells = ["2021", " 2022 ", "", "   ", "2021.5", "x", "2,021", "1e3", "2021", None]
    years, bad, dated = _years(pd.Series(cells, dtype=dtype))
    assert not dated.any()
    assert years.astype(object).where(years.notna(), None).tolist() == [
        2021, 2022, None, None, None, None, 2021, 1000, 2021, None
    ]  # fmt: skip
    assert bad.tolist() == [False, False, False, False, True, True, False, False, False, False]


def test_line_ends_are_counted_across_slices():
    # The fast reader checks its record count against the file's line ends,
    # counted in 1 MB slices. 2.5 slices with a line end on each side of both
    # inner boundaries (bytes 2^20 - 1 and 2^20, 2^21 - 1 and 2^21) and at the
    # first and last byte: 2 x 2 + 2 = 6, none counted twice or missed.
    from valuechain.loading.files import _scan_bytes

    size = (5 << 20) // 2
    data = bytearray(b"x" * size)
    for boundary in (1 << 20, 2 << 20):
        data[boundary - 1] = data[boundary] = ord("\n")
    data[0] = data[-1] = ord("\n")
    assert _scan_bytes(bytes(data)).line_ends == 6


@pytest.mark.parametrize("sep", [",", ";"])
def test_infinite_numbers_are_dropped_with_a_warning(tmp_path: Path, sep: str) -> None:
    # `1e400` and `inf` parse as infinite numbers; no volume, value or position
    # is one. Both cells are dropped with a warning naming row and column, the
    # link is kept, with the comma reader (numbers typed while parsing) and the
    # semicolon one (numbers read by the loader) alike.
    links = (
        f"source{sep}target{sep}volume{sep}value\nF{sep}P{sep}1e400{sep}inf\nF{sep}Q{sep}2{sep}3\n"
    )
    folder = write_dataset(
        tmp_path,
        enterprises=f"id{sep}name{sep}type\nF{sep}f{sep}farm\nP{sep}p{sep}processor\nQ{sep}q{sep}service\n",
        links=links,
    )
    ds = load(folder)
    report = ds.report.frame("en")
    assert report[["level", "row", "column"]].values.tolist() == [
        ["warning", 2, "volume"],
        ["warning", 2, "value"],
    ]
    assert ds.report.counts["links"] == {"read": 2, "loaded": 2, "rejected": 0}
    assert ds.links["volume"].isna().tolist() == [True, False]
    assert ds.links["value"].isna().tolist() == [True, False]


def test_a_date_where_a_year_belongs_counts_in_its_year(tmp_path):
    import datetime

    links = (
        "source,target,product,value,year\n"
        "A,B,log,1,30/06/2024\nA,B,log,2,2024-06-30\nA,B,log,4,2023\nA,B,log,8,31/02/2024\n"
    )
    ds = load(
        write_dataset(
            tmp_path / "csv", enterprises="id,name,type\nA,a,farm\nB,b,processor\n", links=links
        ),
        year="all",
    )
    # Rows 2 and 3 are dates in 2024: one link A→B of 1 + 2 = 3 (the two are the
    # same (source, target, product, year), merged); 2023 stays; 31/02 is no
    # day: its year cell is dropped, the link kept without a year.
    rows = sorted((str(y), v) for y, v in zip(ds.links["year"], ds.links["value"], strict=True))
    assert rows == [("2023", 4.0), ("2024", 3.0), ("<NA>", 8.0)]
    notes = {(p["row"], p["code"]) for p in ds.report.problems}
    assert {(2, "year_from_date"), (3, "year_from_date"), (5, "bad_year")} <= notes

    book = Workbook()
    sheet = book.active
    sheet.title = "enterprises"
    for row in (["id", "name", "type"], ["A", "a", "farm"], ["B", "b", "processor"]):
        sheet.append(row)
    sheet = book.create_sheet("links")
    sheet.append(["source", "target", "product", "value", "year"])
    sheet.append(["A", "B", "log", 5, datetime.datetime(2024, 6, 30)])  # an Excel date cell
    sheet.append(["A", "B", "log", 6, 2023])
    book.save(tmp_path / "book.xlsx")
    ds = load(tmp_path / "book.xlsx", year="all")
    assert sorted(zip(ds.links["year"].tolist(), ds.links["value"].tolist(), strict=True)) == [
        (2023, 6.0),
        (2024, 5.0),
    ]
    assert [p["code"] for p in ds.report.problems if p["column"] == "year"] == ["year_from_date"]


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("Thương lái", "service"), ("Đại lý", "service"), ("Đại lý phân bón", "service"),
        ("Đại lý vật tư", "service"), ("Cửa hàng", "service"), ("Kho", "service"),
        ("Nhà máy", "processor"), ("Xưởng", "processor"), ("Trang trại", "farm"),
        ("Hộ trồng", "farm"), ("Hộ nuôi", "farm"), ("Mỏ", "mine"),
        # the longer alias wins: a household planting forest is forestry
        ("Hộ trồng rừng", "forestry"), ("Tổ hợp tác trồng rừng", "forestry"),
        # legal forms decide nothing: derived from VSIC or peers
        ("Hộ kinh doanh", None), ("Tổ hợp tác", None), ("Doanh nghiệp tư nhân", None),
        ("Xí nghiệp", None),
    ],
)  # fmt: skip
def test_everyday_type_words(word, kind):
    from valuechain.loading.columns import type_of_word

    assert type_of_word(word) == kind


def test_legal_forms_are_derived_and_an_undecided_word_is_named_in_vietnamese(tmp_path):
    enterprises = (
        "id,name,type,vsic,outputs\n"
        "A,Trại cam,Trang trại,,orange\n"
        "B,HKD cam,Hộ kinh doanh,,orange\n"  # peers: A sells orange → farm
        "C,Xí nghiệp gỗ,Xí nghiệp,1610,plywood\n"  # VSIC 16 → processor
        "D,Tổ hợp tác,Tổ hợp tác,,mystery\n"  # nothing decides: rejected
        "E,Đại lý,Đại lý phân bón,,fertiliser\n"
    )
    ds = load(write_dataset(tmp_path, enterprises=enterprises, links="source,target\n"))
    assert dict(zip(ds.enterprises["id"], ds.enterprises["type"], strict=True)) == {
        "A": "farm", "B": "farm", "C": "processor", "E": "service",
    }  # fmt: skip
    rejected = ds.report.frame("vi")
    message = rejected.loc[rejected["level"] == "error", "message"].tolist()
    assert len(message) == 1 and message[0].startswith("loại hình 'Tổ hợp tác' không rõ")
    assert "dịch vụ (thương mại, thương lái, đại lý, cửa hàng" in message[0]
    assert "farm" not in message[0]  # no English type codes in the Vietnamese message
