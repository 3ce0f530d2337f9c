"""A workbook for district officers to fill in: the tables valuechain reads,
with headers in the planner's language and units, an instructions sheet, two
example rows per table, a drop-down list for `type`, the catalog's product
codes (named generically, for the planner to trim) in a sheet the other
sheets' product columns refer to, the chains' names, and an about sheet."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from valuechain.i18n import VI, Language
from valuechain.loading.dataset import Dataset
from valuechain.output.html import write_atomic

__all__ = ["template_workbook", "write_template"]

# (sheet name, [(header, example 1, example 2)]) per table, in each language.
_SHEETS: dict[str, dict[str, Any]] = {
    "vi": {
        "enterprises": (
            "Doanh nghiệp",
            [
                ("Mã", "NN01", "CB01"),
                ("Tên doanh nghiệp", "HTX Dong riềng Côn Minh", "Cơ sở miến dong Nam Cường"),
                ("Loại hình", "nông nghiệp", "chế biến"),
                ("Mã VSIC", "0113", "1074"),
                ("Huyện", "Na Rì", "Chợ Đồn"),
                ("Vĩ độ (độ thập phân)", 22.21, 22.18),
                ("Kinh độ (độ thập phân)", 106.08, 105.59),
                ("Sản phẩm đầu ra (mã, cách nhau bởi ;)", "arrowroot", "mien_dong"),
                ("Nguyên liệu đầu vào (mã, cách nhau bởi ;)", "", "arrowroot_starch;arrowroot"),
                ("Công suất (theo đơn vị của sản phẩm đầu ra)", 800, 300),
                ("Giá trị sản xuất (triệu đồng)", 4000, 12000),
                ("Số lao động (người)", 25, 40),
                ("Cụm công nghiệp (mã)", "", "CCN-NBL"),
                ("Diện tích đất (ha)", "", 1.5),
            ],
        ),
        "links": (
            "Liên kết",
            [
                ("Bên bán (mã)", "NN01", "CB01"),
                ("Bên mua (mã, hoặc EXT:tỉnh ngoài)", "CB01", "EXT:Hà Nội"),
                ("Sản phẩm (mã)", "arrowroot", "mien_dong"),
                ("Sản lượng (theo đơn vị của sản phẩm)", 250, 120),
                ("Giá trị (triệu đồng)", 1000, 6000),
                ("Năm", 2024, 2024),
            ],
        ),
        "clusters": (
            "Cụm công nghiệp",
            [
                ("Mã cụm", "CCN-NBL", "CCN-TT"),
                ("Tên cụm", "Cụm công nghiệp Nam Bằng Lũng", "Cụm công nghiệp Thanh Thịnh"),
                ("Diện tích (ha)", 60, 50),
                ("Huyện", "Chợ Đồn", "Chợ Mới"),
            ],
        ),
        "products": (
            "Sản phẩm",
            ["Mã sản phẩm", "Tên sản phẩm", "Tên tiếng Anh", "Chuỗi giá trị",
             "Công đoạn (1 thô, 2 sơ chế, 3 chế biến sâu)", "Chế biến từ", "Đơn vị tính"],
        ),
        "chains": ("Chuỗi giá trị", ["Mã chuỗi", "Tên chuỗi", "Tên tiếng Anh"]),
        "about": (
            "Thông tin chung",
            ["Mục", "Nội dung"],
            [("Tỉnh", ""), ("Nguồn dữ liệu", ""), ("Nghị quyết", ""), ("Mục tiêu lấp đầy", "")],
        ),
        "instructions": "Hướng dẫn",
    },
    "en": {
        "enterprises": (
            "enterprises",
            [
                ("id", "NN01", "CB01"),
                ("name", "Côn Minh arrowroot cooperative", "Nam Cường vermicelli workshop"),
                ("type", "farm", "processor"),
                ("vsic", "0113", "1074"),
                ("district", "Na Rì", "Chợ Đồn"),
                ("lat (decimal degrees)", 22.21, 22.18),
                ("lon (decimal degrees)", 106.08, 105.59),
                ("outputs (codes, separated by ;)", "arrowroot", "mien_dong"),
                ("inputs (codes, separated by ;)", "", "arrowroot_starch;arrowroot"),
                ("capacity (unit of the first output)", 800, 300),
                ("output_value (million VND)", 4000, 12000),
                ("employees (people)", 25, 40),
                ("cluster (id)", "", "CCN-NBL"),
                ("land_ha (ha)", "", 1.5),
            ],
        ),
        "links": (
            "links",
            [
                ("source (id)", "NN01", "CB01"),
                ("target (id, or EXT:province outside)", "CB01", "EXT:Hà Nội"),
                ("product (code)", "arrowroot", "mien_dong"),
                ("volume (unit of the product)", 250, 120),
                ("value (million VND)", 1000, 6000),
                ("year", 2024, 2024),
            ],
        ),
        "clusters": (
            "clusters",
            [
                ("id", "CCN-NBL", "CCN-TT"),
                ("name", "Nam Bằng Lũng industrial cluster", "Thanh Thịnh industrial cluster"),
                ("area_ha (ha)", 60, 50),
                ("district", "Chợ Đồn", "Chợ Mới"),
            ],
        ),
        "products": (
            "products",
            ["code", "name", "name_en", "chain", "stage (1 raw, 2 first, 3 deep processing)",
             "made_from", "unit"],
        ),
        "chains": ("chains", ["code", "name", "name_en"]),
        "about": (
            "about",
            ["key", "value"],
            [("region", ""), ("source", ""), ("plan", ""), ("cluster_target", "")],
        ),
        "instructions": "instructions",
    },
}  # fmt: skip

_INSTRUCTIONS = {
    "vi": [
        "Mẫu nhập dữ liệu cho valuechain",
        "Mỗi sheet là một bảng: Doanh nghiệp (bắt buộc), Liên kết (bắt buộc), Cụm công nghiệp "
        "(nếu có), Sản phẩm (danh mục mã sản phẩm: xoá những dòng không dùng, thêm dòng nếu "
        "cần), Chuỗi giá trị (tên các chuỗi), Thông tin chung (tên tỉnh, nguồn dữ liệu, nghị "
        "quyết, mục tiêu lấp đầy cụm công nghiệp; để trống nếu không có).",
        "Mỗi dòng Doanh nghiệp là một cơ sở; Mã không trùng nhau. Loại hình chọn trong danh sách.",
        "Mỗi dòng Liên kết là một quan hệ mua bán trong năm: bên bán → bên mua. Bên ngoài tỉnh "
        "ghi EXT hoặc EXT:tên tỉnh.",
        "Sản phẩm ghi bằng mã trong sheet Sản phẩm; nhiều mã cách nhau bởi dấu ;.",
        "Hai dòng đầu mỗi bảng là ví dụ: xoá đi trước khi nhập dữ liệu thật.",
        "Kiểm tra: valuechain validate <tệp.xlsx>. Bản đồ: valuechain map <tệp.xlsx>.",
    ],
    "en": [
        "valuechain data entry template",
        "Each sheet is a table: enterprises (required), links (required), clusters (if any), "
        "products (the catalog of product codes: delete the rows you do not need, add rows "
        "as needed), chains (the chains' names), about (region, data source, plan, cluster "
        "occupancy target; leave empty what does not apply).",
        "One enterprises row per enterprise; ids are unique. Pick the type from the list.",
        "One links row per supply relation in a year: seller → buyer. Outside the region: "
        "EXT or EXT:province.",
        "Products are written as codes from the products sheet; several separated by ;.",
        "The first two rows of each table are examples: delete them before entering real data.",
        "Check: valuechain validate <file.xlsx>. Map: valuechain map <file.xlsx>.",
    ],
}


# The bundled catalog names a few products by Bắc Kạn's own varieties; a
# template for any region names them generically.
_GENERIC = {
    "tea_leaf": ("Chè búp tươi", "Fresh tea leaf"),
    "dry_tea": ("Chè khô", "Dry tea"),
    "persimmon": ("Quả hồng", "Persimmon"),
    "paddy": ("Thóc", "Paddy"),
    "rice": ("Gạo", "Rice"),
    "rice_wine": ("Rượu gạo", "Rice wine"),
}
_GENERIC_CHAINS = {
    "tea": ("Chè", "Tea"),
    "rice": ("Lúa gạo", "Rice"),
    "persimmon": ("Hồng", "Persimmon"),
}


def template_workbook(catalog: Dataset | None = None, *, lang: Language = VI) -> bytes:
    """The template as .xlsx bytes; the products sheet holds the bundled catalog."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    from valuechain.i18n import t
    from valuechain.loading.columns import TYPES
    from valuechain.loading.dataset import load

    spec = _SHEETS[lang]
    products = (catalog or load()).products
    products = products[products["in_catalog"]]
    book = Workbook()
    guide = book.active
    guide.title = spec["instructions"]
    for line in _INSTRUCTIONS[lang]:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 110

    product_sheet, product_headers = spec["products"]
    sheet = book.create_sheet(product_sheet)
    sheet.append(product_headers)
    for row in products.itertuples(index=False):
        name, name_en = _GENERIC.get(row.code, (row.name, getattr(row, "name_en", "") or ""))
        sheet.append(
            [row.code, name, name_en, row.chain, int(row.stage), ";".join(row.made_from),
             row.unit or ""]
        )  # fmt: skip
    last = len(products) + 1
    codes = f"'{product_sheet}'!$A$2:$A${last}"

    types = [t("val_" + ty, lang) for ty in TYPES]
    for table in ("enterprises", "links", "clusters"):
        title, columns = spec[table]
        sheet = book.create_sheet(title, index=len(book.sheetnames) - 1)
        sheet.append([c[0] for c in columns])
        for i in (1, 2):
            sheet.append([c[i] for c in columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for i, (header, *_examples) in enumerate(columns):
            sheet.column_dimensions[chr(ord("A") + i)].width = max(12, min(len(header) + 2, 40))
        sheet.freeze_panes = "A2"
        if table == "enterprises":
            choice = DataValidation(type="list", formula1='"' + ",".join(types) + '"')
            choice.error = t("template_type_error", lang, types=", ".join(types))
            sheet.add_data_validation(choice)
            choice.add("C2:C5000")
        if table == "links":
            product = DataValidation(type="list", formula1=f"={codes}", allow_blank=True)
            sheet.add_data_validation(product)
            product.add("C2:C100000")
    book.move_sheet(product_sheet, offset=len(book.sheetnames))
    from valuechain.loading.catalog import UNCLASSIFIED, chain_names

    chain_title, chain_headers = spec["chains"]
    sheet = book.create_sheet(chain_title)
    sheet.append(chain_headers)
    used = set(products["chain"])
    for row in chain_names().itertuples(index=False):
        if row.code in used and row.code != UNCLASSIFIED:
            sheet.append([row.code, *_GENERIC_CHAINS.get(row.code, (row.name, row.name_en))])
    about_title, about_headers, about_rows = spec["about"]
    sheet = book.create_sheet(about_title)
    sheet.append(about_headers)
    for key, value in about_rows:
        sheet.append([key, value])
    for title in (product_sheet, chain_title, about_title):
        for cell in book[title][1]:
            cell.font = Font(bold=True)
        book[title].column_dimensions["A"].width = 22
        book[title].column_dimensions["B"].width = 40
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def write_template(path: str | Path, *, lang: Language = VI) -> Path:
    """Write the template workbook atomically; return its path."""
    return write_atomic(path, template_workbook(lang=lang))
