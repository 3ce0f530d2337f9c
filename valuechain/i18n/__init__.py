"""Every user-facing string in Vietnamese and English: the one catalog.

Messages, page and workbook words are in `TEXT`, by key: `t(key, lang,
**params)` formats one. The command line's help is written in English beside
the code it describes and has its Vietnamese in `help.py`, keyed by that
English, with click's own words (Usage, Options, "No such option"…):
`help_text(english, lang)` and `click_text(message, lang)` look them up.
`Language` carries a language through the code as its code ("vi", "en") with
its catalog at hand. A parameter that is a `Figure` (a number) or `Words` (a
phrase of the catalog) is written in the language of the text it goes into,
whenever that text is made: an error raised before anyone knows who reads it
carries them so. Vietnamese is the default: the tool is for Vietnamese
planners first.

A third language is a code in `LANGS`, a third element in each `TEXT` entry
(in the order of `LANGS`), and its tables in `help.py` beside the Vietnamese
ones (`HELP_XX`, `CLICK_XX`, `METAVAR_XX` for code `xx`); `--lang` offers
every code of `LANGS`, and tests/test_i18n.py checks every entry has them all.
What is not words stays per language where it is written: numbers, shares
and dates (`output/formats.py`: `number_text`, `percent_text`, `date_text`),
the map's locale (`output/map/page.py`), the Word document's language
(`output/report/docx.py`), and the names a dataset gives its chains and
products (`name`, `name_en` columns; `formats.display_names`).
"""

from __future__ import annotations

__all__ = [
    "LANGS",
    "DEFAULT_LANG",
    "Language",
    "VI",
    "t",
    "Figure",
    "Words",
    "TEXT",
    "help_text",
    "click_text",
    "metavar_text",
]

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"

# key: (Vietnamese, English)
TEXT: dict[str, tuple[str, str]] = {
    # --- load report -------------------------------------------------------
    "missing_table": (
        "{path}: thiếu bảng bắt buộc '{table}' ({expected}); tìm thấy: {found}",
        "{path}: required table '{table}' is missing ({expected}); found: {found}",
    ),
    "missing_column": (
        "{file}: thiếu cột bắt buộc '{column}'; các cột có: {found}; gần nhất: '{match}'",
        "{file}: required column '{column}' is missing; columns found: {found}; "
        "closest match: '{match}'",
    ),
    "no_sample": (
        "không tìm thấy bộ dữ liệu mẫu Bắc Kạn kèm theo trong bản cài đặt này",
        "the bundled Bắc Kạn sample was not found in this installation",
    ),
    "source_files": ("dữ liệu khảo sát «{name}»", "survey data «{name}»"),
    "sample_name": ("dữ liệu mẫu Bắc Kạn (minh hoạ)", "Bắc Kạn sample (illustrative)"),
    "bad_year_option": (
        "--year {year}: không có liên kết năm đó; các năm có: {years}",
        "--year {year}: no links in that year; years present: {years}",
    ),
    "bad_workbook": (
        "{path}: không đọc được tệp .xlsx ({reason})",
        "{path}: not a readable .xlsx workbook ({reason})",
    ),
    "not_a_workbook": (
        "{path}: không phải sổ Excel .xlsx (tệp .xlsx là một tệp nén zip, tệp này thì không: "
        "có thể là tệp .xls cũ hoặc tệp CSV đổi tên); mở bằng Excel và lưu lại dạng .xlsx",
        "{path}: not an .xlsx workbook (an .xlsx file is a zip archive and this one is not: an "
        "old .xls, or a CSV renamed?); open it in Excel and save it as .xlsx",
    ),
    "workbook_too_large": (
        "{path}: tệp .xlsx giải nén ra {size} MB, quá giới hạn {limit} MB: không đọc",
        "{path}: the workbook unpacks to {size} MB, beyond the limit of {limit} MB: not read",
    ),
    "output_is_input": (
        "-o {path} là một tệp dữ liệu đầu vào: valuechain không ghi đè dữ liệu; chọn tệp khác",
        "-o {path} is one of the input files: valuechain never overwrites its input; "
        "choose another file",
    ),
    "year_ignored": (
        "--year {year}: các liên kết không có năm, bỏ qua tuỳ chọn này",
        "--year {year}: the links carry no year; the option is ignored",
    ),
    "not_dataset": (
        "{path}: không phải thư mục dữ liệu hay tệp .xlsx",
        "{path}: not a dataset folder or .xlsx workbook",
    ),
    "slice_no_match": (
        "{option} '{value}': không khớp giá trị nào; các giá trị có: {present}",
        "{option} '{value}' matches nothing; values present: {present}",
    ),
    "no_such_path": ("{path}: không tồn tại", "{path}: does not exist"),
    "empty_id": ("mã trống: dòng bị loại", "empty id: row rejected"),
    "duplicate_id": (
        "mã '{id}' trùng với dòng {first}: dòng bị loại (giữ dòng đầu)",
        "duplicate id '{id}' (first at row {first}): row rejected, the first stays",
    ),
    "unknown_type": (
        "loại hình '{value}' không rõ, không có mã VSIC dùng được và không suy ra được từ "
        "sản phẩm: dòng bị loại; các loại hình nhận được: {accepted_vi}",
        "unknown type '{value}' and no usable vsic: row rejected; accepted types: {accepted}",
    ),
    "type_from_peers": (
        "loại hình '{value}' chưa rõ; suy ra '{type}' từ các doanh nghiệp cùng bán '{output}'",
        "type '{value}' does not say; derived '{type}' from the enterprises that also sell "
        "'{output}'",
    ),
    "type_from_vsic": (
        "loại hình '{value}' không rõ; suy ra '{type}' từ VSIC {vsic}",
        "unknown type '{value}'; derived '{type}' from vsic {vsic}",
    ),
    "empty_name": ("tên trống: dùng mã '{value}'", "empty name: the id '{value}' is shown instead"),
    "dms": (
        "toạ độ '{value}' (độ, phút, giây) đọc là {degrees}",
        "coordinate '{value}' (degrees, minutes, seconds) read as {degrees}",
    ),
    "column_unreadable": (
        "không đọc được số nào trong cột này: cột bị bỏ khỏi phân tích",
        "not one number in this column could be read: the column is lost to the analyses",
    ),
    "column_unreadable_note": (
        "Lưu ý: không đọc được số nào trong cột '{column}' của {file}; xem: valuechain validate",
        "Note: not one number could be read in column '{column}' of {file}; see: "
        "valuechain validate",
    ),
    "weight_fallback": (
        "Lưu ý: {n} trong {m} liên kết không có '{column}', nên tỷ lệ tính theo '{to}' "
        "(--weight {column} để tính theo '{column}', coi ô trống là 0)",
        "Note: {n} of {m} links have no '{column}', so shares are weighed by '{to}' "
        "(--weight {column} weighs by it, counting a missing one as 0)",
    ),
    "template_not_xlsx": (
        "-o {path}: mẫu là sổ Excel, tên tệp phải kết thúc bằng .xlsx",
        "-o {path}: the template is an Excel workbook; its name must end in .xlsx",
    ),
    "template_exists": (
        "-o {path}: tệp đã có (có thể là dữ liệu đã nhập): chọn tên khác, hoặc thêm --force "
        "để ghi đè",
        "-o {path}: already there (it may hold data already entered): choose another name, "
        "or add --force to replace it",
    ),
    "template_type_error": (
        "Chọn loại hình trong danh sách: {types}",
        "Pick a type from the list: {types}",
    ),
    "no_such_enterprise": (
        "--remove {value}: không có doanh nghiệp nào mang mã này",
        "--remove {value}: no enterprise has this id",
    ),
    "map_scenario": ("Kịch bản", "Scenario"),
    "map_sc_title": ("Kịch bản: {what} — {name}", "Scenario: {what} — {name}"),
    "map_sc_what_close": ("{names} đóng cửa", "{names} closes"),
    "map_sc_what_open": ("nhà máy {product} mới tại {where}", "a new {product} plant at {where}"),
    "map_sc_closed": ("đóng cửa theo kịch bản", "closes in the scenario"),
    "map_sc_keeps": ("còn giữ {share} sản lượng", "keeps {share} of its output"),
    "map_sc_lost_buyer": ("mất bên mua duy nhất trong tỉnh", "loses its only local buyer"),
    "map_sc_new_plant": ("Nhà máy mới: {product}{capacity}", "New plant: {product}{capacity}"),
    "map_sc_capacity": (", công suất {capacity} {unit}", ", capacity {capacity} {unit}"),
    "map_sc_new": ("nhà máy mới theo kịch bản", "new plant in the scenario"),
    "map_sc_found_buyer": (
        "có bên mua trong tỉnh nhờ nhà máy mới",
        "gains a local buyer: the new plant",
    ),
    "map_sc_gained": (
        "bán cho nhà máy mới (trước đây bán ra ngoài tỉnh)",
        "sold to the new plant (before: outside)",
    ),
    "map_sc_lost": ("liên kết mất khi doanh nghiệp đóng cửa", "links lost with the closure"),
    "at_format": ("VĨ_ĐỘ,KINH_ĐỘ, ví dụ 22.15,105.83", "LAT,LON, e.g. 22.15,105.83"),
    "at_range": (
        "vĩ độ trong khoảng ±90, kinh độ trong khoảng ±180",
        "latitude within ±90, longitude within ±180",
    ),
    "whatif_one": (
        "cho một kịch bản: --remove MÃ hoặc --add-processor SẢN_PHẨM",
        "give one scenario: --remove ID or --add-processor PRODUCT",
    ),
    "whatif_where": (
        "--add-processor cần vị trí: --at VĨ_ĐỘ,KINH_ĐỘ hoặc --district HUYỆN (một trong hai)",
        "--add-processor needs a place: --at LAT,LON or --district NAME (one of them)",
    ),
    "whatif_new_id": (
        "Nhà máy mới mang mã {id} trong kết quả này",
        "The new plant is {id} in these figures",
    ),
    "whatif_capacity_volume": (
        "--capacity là sản lượng (theo đơn vị của sản phẩm), nhưng {n} trong {total} liên kết "
        "nhà máy mới sẽ nhận không có sản lượng: nhập sản lượng, hoặc bỏ --capacity",
        "--capacity is a volume (in the product's unit), but {n} of the {total} links the new "
        "plant would take have no volume: give their volumes, or leave --capacity out",
    ),
    "whatif_kept": (
        "Giữ lại trong tỉnh (bán cho nhà máy mới thay vì ra ngoài tỉnh): {kept} {unit}",
        "Kept in the region (sold to the new plant instead of outside): {kept} {unit}",
    ),
    "whatif_loss": (
        "Nếu ngừng hoạt động, tỉnh mất {share} sản lượng (như lệnh critical tính)",
        "If it stops, the region loses {share} of its output (as critical computes it)",
    ),
    "wi_unlinked": ("Số cơ sở sản xuất chưa liên kết", "Unlinked producers (count)"),
    "wi_local_links": ("Số liên kết nội tỉnh", "Local links (count)"),
    "wi_local_share": ("Tỷ lệ bán nội tỉnh", "Local share of sales"),
    "wi_points": ("{n} điểm %", "{n} points"),
    "wi_became_linked": (
        "Cơ sở sản xuất có thêm bên mua trong tỉnh ({n})",
        "Producers that gain a local buyer ({n})",
    ),
    "wi_became_unlinked": (
        "Cơ sở sản xuất mất bên mua trong tỉnh ({n})",
        "Producers that lose their local buyer ({n})",
    ),
    "whatif_hit": (
        "Doanh nghiệp bị ảnh hưởng (phần sản lượng còn giữ được):",
        "Enterprises hit (share of their output kept):",
    ),
    "col_figure": ("Chỉ tiêu", "Figure"),
    "col_before": ("Trước", "Before"),
    "col_after": ("Sau", "After"),
    "col_change": ("Thay đổi", "Change"),
    "col_score_before": ("Điểm trước", "Score before"),
    "col_score_after": ("Điểm sau", "Score after"),
    "col_status_before": ("Tình trạng trước", "Status before"),
    "col_status_after": ("Tình trạng sau", "Status after"),
    "col_output_kept": ("Sản lượng còn giữ", "Output kept"),
    "error_word": ("Lỗi", "Error"),
    "critical_proven": (
        "{n} doanh nghiệp (trên {limit}): đã thử {k} doanh nghiệp có cận trên thiệt hại lớn nhất; "
        "cận trên chứng minh không doanh nghiệp nào chưa thử lọt vào {top} doanh nghiệp đứng đầu",
        "{n} enterprises (over {limit}): tested the {k} with the largest loss bound; the bounds "
        "prove that no untested enterprise is in the top {top}",
    ),
    "critical_budget": (
        "{n} doanh nghiệp (trên {limit}): --candidates hết trước khi cận trên cho phép dừng; đã "
        "thử {k} doanh nghiệp có cận trên thiệt hại lớn nhất. Tỷ lệ tìm thấy được bảo đảm trong "
        "{top} doanh nghiệp đứng đầu: {recall} (trống: cận trên chỉ là ước lượng). Tăng "
        "--candidates để chắc chắn hơn.",
        "{n} enterprises (over {limit}): --candidates ran out before the bounds allowed a stop; "
        "tested the {k} with the largest loss bound. Recall of the top {top} guaranteed: "
        "{recall} (blank: the bounds are estimates). Raise --candidates to be sure.",
    ),
    "critical_screened": (
        "{n} doanh nghiệp (trên {limit}): đã thử {k} doanh nghiệp có ước lượng thiệt hại lớn nhất "
        "(--candidates); trên mạng lưới giả lập, cách chọn này tìm được {recall} trong {top} doanh "
        "nghiệp đứng đầu thật (docs/methods.md)",
        "{n} enterprises (over {limit}): tested the {k} with the largest loss estimate "
        "(--candidates); on generated networks this screen finds {recall} of the true top {top} "
        "(docs/methods.md)",
    ),
    "protect_large": (
        "{n} doanh nghiệp (trên {limit}): danh sách giữ vững cần thử từng doanh nghiệp, mất "
        "vài phút; xem valuechain critical",
        "{n} enterprises (over {limit}): the protect list tests enterprise by enterprise, "
        "which takes minutes; see valuechain critical",
    ),
    "col_risk": ("Mức rủi ro", "Risk"),
    "col_rank": ("Thứ tự", "Rank"),
    "col_action": ("Việc", "Action"),
    "col_partner": ("Đối tác", "Partner"),
    "col_partner_name": ("Bên mua gần nhất", "Nearest buyer"),
    "col_partner_district": ("Huyện bên mua", "Buyer's district"),
    "col_at_stake": ("Giá trị liên quan", "At stake"),
    "col_value_out": ("Đang bán ra ngoài tỉnh", "Now sold outside"),
    "col_raw_out": ("Nguyên liệu đang ra ngoài tỉnh", "Raw input now leaving"),
    "prio_h_connect": (
        "Kết nối: cơ sở sản xuất đang bán ra ngoài tỉnh và bên mua gần nhất trong tỉnh",
        "Connect: producers selling outside the region and the nearest local buyer",
    ),
    "prio_h_attract": (
        "Thu hút đầu tư: khâu chế biến còn thiếu, theo lượng nguyên liệu đang ra ngoài tỉnh",
        "Attract: missing processing stages, by the raw input now leaving the region",
    ),
    "prio_h_protect": (
        "Giữ vững: doanh nghiệp mà nếu ngừng hoạt động, tỉnh mất từ 5 % sản lượng trở lên",
        "Protect: enterprises whose stop would cost the region 5 % of its output or more",
    ),
    "val_connect": ("kết nối", "connect"),
    "val_attract": ("thu hút đầu tư", "attract"),
    "val_protect": ("giữ vững", "protect"),
    "val_existing_buyer": ("đã là bên mua, bán thêm", "existing buyer"),
    "val_new_buyer": ("bên mua mới", "new buyer"),
    "val_no_local_user": ("trong tỉnh chưa ai dùng", "nobody local uses it"),
    "val_missing_stage": ("khâu còn thiếu", "missing stage"),
    "val_critical": ("doanh nghiệp then chốt", "critical"),
    "col_affected": ("Số doanh nghiệp bị ảnh hưởng", "Affected"),
    "col_sole_buyer_of": ("Là bên mua duy nhất của", "Sole buyer of"),
    "title_rows": (
        "bỏ qua {n} dòng tiêu đề; dòng tiêu đề cột là dòng {header}",
        "{n} title rows skipped; the header is row {header}",
    ),
    "column_unused_close": (
        "cột '{header}' không dùng để phân tích (giữ làm thuộc tính) — có phải là {close}?",
        "column '{header}' not used (kept as an attribute) — did you mean {close}?",
    ),
    "spellings_merged": (
        "gộp các cách viết của cùng một tên: {merged}",
        "spellings of one name merged: {merged}",
    ),
    "money_unit": (
        "cột '{header}' tính theo đơn vị khác triệu đồng: đã nhân với {factor}",
        "column '{header}' is not in million VND: its numbers were multiplied by {factor}",
    ),
    "column_by_words": (
        "cột '{header}' được hiểu là {column}",
        "column '{header}' read as {column}",
    ),
    "column_ambiguous": (
        "cột '{header}' có thể là {candidates}: không dùng (giữ làm thuộc tính); đổi tên tiêu đề",
        "column '{header}' could be {candidates}: not used (kept as an attribute); rename it",
    ),
    "column_unused": (
        "cột '{header}' không khớp cột nào đã biết: giữ làm thuộc tính",
        "column '{header}' matches no known column: kept as an attribute",
    ),
    "undecodable": (
        "có ký tự không đọc được theo bảng mã {encoding} (thay bằng �): kiểm tra dòng này",
        "a character that is not valid {encoding} (shown as �): check this row",
    ),
    "unclosed_quote": (
        "dấu ngoặc kép mở ở đây nhưng không đóng; đọc như ký tự thường, nếu không các dòng "
        "{first}–{last} sẽ bị gộp vào một ô",
        "a quote opens here and never closes: read as a plain character, else rows "
        "{first}–{last} would have become one cell",
    ),
    "control_chars": (
        "có ký tự điều khiển (không in được): đã bỏ, giữ dòng",
        "control characters (not printable): removed, row kept",
    ),
    "too_large": (
        "số {value} lớn quá mức hợp lý (trên {limit}): bỏ ô, giữ dòng",
        "number {value} beyond any plausible size (over {limit}): cell dropped, row kept",
    ),
    "duplicate_table": (
        "{path}: bảng '{table}' có hai lần ({first} và {second}); xoá hoặc đổi tên một",
        "{path}: table '{table}' is present twice ({first} and {second}); remove or rename one",
    ),
    "bad_number": (
        "không đọc được số '{value}': bỏ ô, giữ dòng",
        "unreadable number '{value}': cell dropped, row kept",
    ),
    "year_from_date": (
        "'{value}' là một ngày: tính vào năm {year}",
        "'{value}' is a date: counted in year {year}",
    ),
    "ambiguous_number": (
        "số '{value}' đọc được theo hai cách; đọc là {read} (dấu thập phân của cột: '{mark}')",
        "number '{value}' reads either way; read as {read} (the column's decimal mark: '{mark}')",
    ),
    "bad_year": (
        "năm không hợp lệ '{value}' (cần số nguyên bốn chữ số): bỏ ô, giữ dòng",
        "unreadable year '{value}' (a whole number of four digits): cell dropped, row kept",
    ),
    "out_of_range": (
        "toạ độ {value} ngoài khoảng ±{limit}: bỏ ô, giữ dòng",
        "coordinate {value} outside ±{limit}: cell dropped, row kept",
    ),
    "negative": (
        "giá trị âm {value} ở cột {column}: bỏ ô, giữ dòng",
        "negative {column} {value}: cell dropped, row kept",
    ),
    "ext_id": (
        "mã '{value}' bắt đầu bằng EXT nên liên kết tới nó được hiểu là bên ngoài tỉnh",
        "id '{value}' starts with EXT, so links naming it are read as outside the region",
    ),
    "endpoint_rejected": (
        "'{value}' là doanh nghiệp bị loại ở dòng {row} của bảng doanh nghiệp: dòng bị loại",
        "'{value}' is the enterprise rejected at row {row} of the enterprises table: row rejected",
    ),
    "endpoint_by_name": (
        "'{value}' không phải mã nhưng là tên của đúng một doanh nghiệp: đọc là '{id}'",
        "'{value}' is no id but the name of exactly one enterprise: read as '{id}'",
    ),
    "unknown_endpoint": (
        "'{value}' không phải mã doanh nghiệp hay EXT…: dòng bị loại",
        "'{value}' is neither an enterprise id nor EXT…: row rejected",
    ),
    "empty_endpoint": ("đầu mối trống: dòng bị loại", "empty endpoint: row rejected"),
    "self_link": ("liên kết tự thân '{value}': dòng bị loại", "self-link '{value}': row rejected"),
    "ext_to_ext": (
        "liên kết giữa hai bên ngoài tỉnh ({source} → {target}): dòng bị loại",
        "link between two outside parties ({source} → {target}): row rejected",
    ),
    "duplicate_link": (
        "liên kết trùng với dòng {first}: gộp làm một, cộng khối lượng và giá trị",
        "same (source, target, product, year) as row {first}: merged, volumes and values summed",
    ),
    "unknown_product": (
        "mã sản phẩm '{code}' không có trong danh mục: xếp vào chuỗi 'unclassified', công đoạn 1",
        "product code '{code}' is not in the catalog: chain 'unclassified', stage 1",
    ),
    "unknown_cluster": (
        "cụm công nghiệp '{value}' không có trong bảng clusters",
        "cluster '{value}' is not in the clusters table",
    ),
    "extra_cells": (
        "dòng có nhiều ô hơn tiêu đề: các ô thừa bị bỏ ({value})",
        "row has more cells than the header: extra cells ignored ({value})",
    ),
    "bad_stage": (
        "công đoạn '{value}' phải là 1, 2 hoặc 3: dòng bị loại",
        "stage '{value}' must be 1, 2 or 3: row rejected",
    ),
    "empty_code": ("mã sản phẩm trống: dòng bị loại", "empty product code: row rejected"),
    "duplicate_code": (
        "mã sản phẩm '{id}' trùng với dòng {first}: dòng bị loại",
        "duplicate product code '{id}' (first at row {first}): row rejected",
    ),
    "about_unknown_key": (
        "mục '{value}' chưa dùng đến (các mục dùng được: region, source, plan, cluster_target, "
        "cluster_count): giữ nguyên",
        "key '{value}' is not used (keys used: region, source, plan, cluster_target, "
        "cluster_count): kept as it is",
    ),
    "about_bad_share": (
        "'{value}' không phải một tỷ lệ (ví dụ 0,6 hoặc 60 %): dòng bị loại",
        "'{value}' is not a share (e.g. 0.6 or 60 %): row rejected",
    ),
    "empty_field": ("'{column}' trống: dòng bị loại", "empty '{column}': row rejected"),
    "no_year_links": (
        "{n} liên kết không có năm: chỉ tính khi --year all",
        "{n} links have no year: counted only with --year all",
    ),
    "weight_missing": (
        "--weight {weight}: {n} liên kết thiếu {weight}, tính bằng 0",
        "--weight {weight}: {n} links have no {weight}, counted as 0",
    ),
    "singular": (
        "I − A suy biến: đầu vào của các ngành dùng hết đầu ra, không có ma trận nghịch đảo "
        "Leontief",
        "I − A is singular: the sectors' inputs use up all of their output, so no Leontief "
        "inverse exists",
    ),
    "value_needs_values": (
        "giá trị gia tăng cần số liệu giá trị: cột `value` của liên kết hoặc `output_value` "
        "của doanh nghiệp; bộ dữ liệu này không có cả hai",
        "value added needs values: the links' `value` or the enterprises' `output_value`; "
        "this dataset has neither",
    ),
    "no_values": (
        "chỉ số lan toả cần giá trị liên kết (cột `value`); bộ dữ liệu này không có",
        "linkage indices need link values (the `value` column); this dataset has none",
    ),
    "no_output": (
        "không ngành nào có giá trị đầu ra: chỉ số lan toả cần giá trị",
        "no sector has any output value: linkage indices need values",
    ),
    "boundaries_json": (
        "{file}: không đọc được ranh giới GeoJSON ({reason})",
        "{file}: cannot read the GeoJSON boundaries ({reason})",
    ),
    "geojson_too_large": ("lớn hơn {mb} MB", "larger than {mb} MB"),
    "geojson_too_deep": (
        "lồng nhau quá sâu, không phải GeoJSON",
        "nested too deeply to be GeoJSON",
    ),
    "geojson_not_object": ("không phải một đối tượng JSON", "not a JSON object"),
    "geojson_no_features": ("không có đối tượng địa lý nào", "no features"),
    "boundaries_crs": (
        "{file}, đối tượng {feature}: toạ độ không phải kinh độ/vĩ độ; hãy xuất GeoJSON "
        "theo WGS 84 (EPSG:4326) từ phần mềm GIS",
        "{file}, feature {feature}: coordinates are not longitude/latitude; export the "
        "GeoJSON in WGS 84 (EPSG:4326) from the GIS",
    ),
    "boundaries_none": (
        "{file}: không có vùng (Polygon hoặc MultiPolygon) nào để vẽ",
        "{file}: holds no area (Polygon or MultiPolygon) to draw",
    ),
    "no_pyvis": (
        "không tìm thấy gói pyvis (chứa vis-network): pip install pyvis",
        "the pyvis package (which carries vis-network) is not installed: pip install pyvis",
    ),
    "too_many_pairs": (
        "{n} cặp bán–mua là quá nhiều để liệt kê hết (giới hạn {limit}): dùng --top hoặc --max-km",
        "{n} seller–buyer pairs are too many to list (limit {limit}): use --top or --max-km",
    ),
    # --- map ---------------------------------------------------------------
    "map_title": ("Bản đồ liên kết chuỗi giá trị — {name}", "Value-chain linkage map — {name}"),
    "map_summary": (
        "{enterprises} doanh nghiệp · {links} liên kết ({local_links} nội tỉnh) · tỷ lệ nội tỉnh "
        "{share} · {unlinked} cơ sở sản xuất chưa liên kết · chuỗi yếu: {weak} · trọng số {weight}"
        " · năm {year}",
        "{enterprises} enterprises · {links} links ({local_links} local) · local share {share} · "
        "{unlinked} unlinked producers · weak chains: {weak} · weight {weight} · year {year}",
    ),
    "map_search": ("Tìm", "Search"),
    "map_search_hint": ("tên hoặc mã doanh nghiệp", "enterprise name or id"),
    "map_filters": ("Lọc", "Filters"),
    "map_chain": ("Chuỗi", "Chain"),
    "map_district": ("Huyện", "District"),
    "map_all": ("(tất cả)", "(all)"),
    "map_show_external": ("Hiện bên ngoài tỉnh", "Show outside parties"),
    "map_show_suggest": ("Hiện thêm các liên kết gợi ý khác", "Show the other suggested links"),
    "map_source": ("Dữ liệu: {source} · lập ngày {date}", "Data: {source} · made {date}"),
    "map_save_png": ("Lưu ảnh PNG", "Save as PNG"),
    "map_fold": ("Thu gọn / mở bảng bên", "Fold or unfold the side panel"),
    "map_col_outside_sellers": ("Mua từ ngoài tỉnh", "Bought from outside"),
    "map_col_raw": ("Sản xuất nguyên liệu", "Raw production"),
    "map_col_first": ("Sơ chế", "First processing"),
    "map_col_deep": ("Chế biến sâu", "Deep processing"),
    "map_col_trade": ("Thương mại, dịch vụ", "Trade and services"),
    "map_col_buyers": ("Bán ra ngoài tỉnh", "Sold outside"),
    "map_slice_district": ("huyện {names}", "district {names}"),
    "map_slice_chain": ("chuỗi {names}", "chain {names}"),
    "map_slice_type": ("loại hình {names}", "type {names}"),
    "map_summary_drawn": (
        "đang hiện {{n}} doanh nghiệp · {{l}} liên kết ({{i}} nội tỉnh) · {{u}} cơ sở sản xuất "
        "chưa liên kết",
        "showing {{n}} enterprises · {{l}} links ({{i}} local) · {{u}} unlinked producers",
    ),
    "map_filtered_by": ("lọc: {{what}}", "filtered: {{what}}"),
    "map_filter_chain": ("chuỗi {{name}}", "chain {{name}}"),
    "map_filter_district": ("huyện {{name}}", "district {{name}}"),
    "map_filter_types": ("loại hình {{names}}", "types {{names}}"),
    "map_filter_no_external": ("ẩn bên ngoài tỉnh", "outside parties hidden"),
    "map_outside": ("Ngoài tỉnh (không rõ nơi)", "Outside the region (unspecified)"),
    "map_outside_at": ("{place} (ngoài tỉnh)", "{place} (outside the region)"),
    "map_rank": ("Thứ tự ưu tiên (lệnh priorities)", "Priority rank (priorities)"),
    "map_value_out": ("Đang bán ra ngoài tỉnh", "Now sold outside"),
    "map_show_critical": (
        "Đánh dấu doanh nghiệp cần giữ vững (viền tối)",
        "Mark the firms to protect (dark halo)",
    ),
    "map_risk": ("Mức rủi ro nếu ngừng", "Risk if it stops"),
    "map_reset": ("Bỏ mọi bộ lọc", "Clear all filters"),
    "map_legend": ("Chú giải", "Legend"),
    "map_note": (
        "Rê chuột lên điểm hoặc đường để xem chi tiết. Kích thước điểm: tổng lưu lượng; "
        "độ dày đường: trọng số.",
        "Hover a node or link for details. Node size: total flow; line width: weight.",
    ),
    "map_slice_of": (
        "Phần đang xem: {n} trong tổng số {total} doanh nghiệp của tỉnh; đối tác ngoài phần "
        "này vẽ mờ. ",
        "This slice: {n} of the region's {total} enterprises; partners outside it are "
        "drawn faded. ",
    ),
    "map_context": (
        "ngoài phần đang xem: đối tác của doanh nghiệp trong phần này",
        "outside this slice: a partner of enterprises in it",
    ),
    "map_id": ("Mã", "Id"),
    "map_type": ("Loại hình", "Type"),
    "map_outputs": ("Bán", "Sells"),
    "map_inputs": ("Mua", "Buys"),
    "map_flow_out": ("Lưu lượng bán", "Flow out"),
    "map_flow_in": ("Lưu lượng mua", "Flow in"),
    "map_value_added": ("Giá trị gia tăng", "Value added"),
    "map_local_share": ("Tỷ lệ bán nội tỉnh", "Local share of sales"),
    "map_status": ("Tình trạng", "Status"),
    "map_flags": ("Cảnh báo", "Flags"),
    "map_products": ("Sản phẩm", "Products"),
    "map_weight": ("Trọng số", "Weight"),
    "map_reason": ("Lý do", "Reason"),
    "map_suggested": ("Liên kết gợi ý khác", "Other suggested link"),
    "map_priority_link": (
        "Kết nối ưu tiên (gợi ý hàng đầu)",
        "Priority connection (top suggestion)",
    ),
    "map_external_link": ("Liên kết ra ngoài tỉnh", "Link to or from outside"),
    "map_local_link": ("Liên kết nội tỉnh", "Local link"),
    "map_unlinked_producer": ("Cơ sở sản xuất chưa liên kết", "Unlinked producer"),
    "map_chains": ("Chuỗi (điểm liên kết)", "Chains (coupling score)"),
    "map_weak": ("yếu", "weak"),
    "map_found": ("tìm thấy {{n}}", "{{n}} found"),
    "map_gained": ("liên kết mới từ năm", "local link gained since"),
    "map_lost": ("liên kết mất đi từ năm", "local link lost since"),
    "map_change": (
        "So với {year}: +{gained} liên kết nội tỉnh mới, −{lost} mất đi.",
        "Since {year}: +{gained} local links gained, −{lost} lost.",
    ),
    "map_enterprises": ("Số doanh nghiệp", "Enterprises"),
    "map_unlinked_of": ("Cơ sở sản xuất chưa liên kết", "Unlinked producers"),
    "map_group": ("nhóm doanh nghiệp", "group of enterprises"),
    "map_links_n": ("{n} liên kết", "{n} links"),
    "map_stage_buyers": ("chỉ mua", "buyers only"),
    "map_no_chain": ("không sản phẩm", "no product"),
    "map_community": ("nhóm giao dịch {n}", "trading group {n}"),
    "map_stage_1": ("sơ cấp", "raw"),
    "map_stage_2": ("sơ chế", "first processing"),
    "map_stage_3": ("chế biến sâu", "deep processing"),
    "map_edges_cut": (
        "Hiện {shown} luồng lớn nhất trong {total}.",
        "Showing the {shown} heaviest of {total} flows.",
    ),
    "map_by_chain": ("chuỗi × công đoạn", "chain × stage"),
    "map_by_district": ("huyện × loại hình", "district × type"),
    "map_aggregated": (
        "Bản đồ gộp theo {mode} (hơn {threshold} doanh nghiệp; màu: tỷ lệ bán trong tỉnh, đỏ = "
        "thấp; dùng --chain, --district, --type để xem từng doanh nghiệp).",
        "Aggregated by {mode} (over {threshold} enterprises; colour: share of sales kept in "
        "the region, vermilion = low; use --chain, --district, --type for enterprises).",
    ),
    # --- report and charts ------------------------------------------------------
    "report_title": (
        "Báo cáo liên kết chuỗi giá trị — {name}",
        "Value-chain linkage report — {name}",
    ),
    "report_sub": (
        "Dữ liệu: {path} · trọng số: {weight} · năm: {year} · lập ngày {date}",
        "Data: {path} · weight: {weight} · year: {year} · made on {date}",
    ),
    "report_illustrative": (
        "Dữ liệu mẫu Bắc Kạn (các huyện trước 2025) là dữ liệu MINH HOẠ: tên huyện, chuỗi và "
        "một số nhà máy dựa trên thông tin công khai, còn mọi công suất, liên kết, khối lượng và "
        "giá trị là giả định. Nguồn: báo chí và cổng thông tin của tỉnh (2017–2024), ghi trong tài "
        "liệu kèm dữ liệu mẫu.",
        "The Bắc Kạn sample (pre-2025 districts) is ILLUSTRATIVE: districts, chains and some "
        "plants follow public facts, every capacity, link, volume and value is made up. Sources: "
        "the press and the province's portals (2017–2024), listed in the sample's notes.",
    ),
    "report_h_appendix": (
        "Phụ lục: phần còn lại của danh sách việc cần làm",
        "Appendix: the rest of the action lists",
    ),
    "report_rest_in_appendix": (
        "… còn {n} dòng nữa, trong phụ lục cuối báo cáo.",
        "… {n} more rows, in the appendix at the end of the report.",
    ),
    "report_said": (
        "Báo cáo: {n_weak} chuỗi yếu ({weak}) · {unlinked} cơ sở sản xuất chưa liên kết · "
        "{connect} việc kết nối, {attract} khâu chế biến nên thu hút",
        "Report: {n_weak} weak chains ({weak}) · {unlinked} unlinked producers · {connect} "
        "connections to make, {attract} processing stages to attract",
    ),
    "report_h_backtest": (
        "Gợi ý năm trước: bao nhiêu đã thành hiện thực",
        "Last survey's suggestions: how many came true",
    ),
    "report_x_backtest": (
        "Từ {first} đến {last} có {new} liên kết mới trong tỉnh. Trong 10 gợi ý valuechain "
        "xếp đầu theo dữ liệu năm {first}, {hits} đã thành liên kết vào năm {last} (chọn bên mua "
        "gần nhất: {nearest}; chọn ngẫu nhiên: khoảng {chance}). Tỷ lệ đúng @k: trong k gợi ý đầu, "
        "bao nhiêu đã thành; tỷ lệ tìm ra @k: bao nhiêu trong các liên kết mới đã được gợi ý.",
        "From {first} to {last}, {new} new local links formed. Of the 10 suggestions valuechain "
        "ranks first from the {first} data, {hits} had become links by {last} (the nearest "
        "buyer: {nearest}; a random pair: about {chance}). Precision@k: of the first k "
        "suggestions, how many came true; recall@k: of the new links, how many were suggested.",
    ),
    "report_links": ("Liên kết", "Links"),
    "report_weak_chains": ("Chuỗi yếu", "Weak chains"),
    "report_missing_stages": ("Công đoạn còn thiếu", "Missing stages"),
    "report_rejected": ("Dòng bị loại khi nạp", "Rows rejected on load"),
    "report_weak_list": (
        "Chuỗi liên kết yếu (điểm < 50): {chains}.",
        "Weakly coupled chains (score < 50): {chains}.",
    ),
    "report_more": ("… còn {n} dòng nữa", "… {n} more rows"),
    "report_more_sheet": (
        "; danh sách đầy đủ ở trang «{sheet}» của bảng tính Excel xuất từ valuechain.",
        "; the full list is the sheet “{sheet}” of the Excel workbook valuechain exports.",
    ),
    "report_h_priorities": ("Việc cần làm", "Priorities"),
    "report_x_priorities": (
        "Kết nối trước những cơ sở sản xuất đang bán nhiều nhất ra ngoài tỉnh với bên mua gần "
        "nhất trong tỉnh; thu hút đầu tư vào khâu chế biến còn thiếu mà nguyên liệu đang ra "
        "ngoài tỉnh nhiều nhất; giữ vững các doanh nghiệp then chốt (mục sau).",
        "Connect first the producers selling most outside the region with the nearest local "
        "buyer; attract the missing processing stages whose raw input leaves the region most; "
        "protect the firms the region can least afford to lose (next section).",
    ),
    "report_h_districts": ("Theo huyện", "By district"),
    "report_x_districts": (
        "Số liệu riêng của từng huyện: doanh nghiệp, cơ sở sản xuất, số chưa có bên mua trong "
        "tỉnh, tỷ lệ bán trong tỉnh và các chuỗi yếu có mặt ở huyện.",
        "Each district's own figures: enterprises, producers, those without a local buyer, "
        "the share of sales that stay in the region, and the weak chains present.",
    ),
    "col_source_name": ("Bên bán", "Seller"),
    "col_source_district": ("Huyện bên bán", "Seller's district"),
    "col_target_name": ("Bên mua", "Buyer"),
    "col_target_district": ("Huyện bên mua", "Buyer's district"),
    "col_weak_chains": ("Chuỗi yếu có mặt", "Weak chains present"),
    "xl_priorities": ("Việc cần làm", "Priorities"),
    "report_h_value": (
        "Giá trị được tạo ra ở đâu, và chảy đi đâu",
        "Where the value is made, and where it leaves",
    ),
    "report_x_value": (
        "Giá trị gia tăng = giá trị sản xuất trừ giá trị mua vào (triệu đồng). Tỷ lệ giá trị "
        "tạo ra trong tỉnh = giá trị gia tăng trong tỉnh / (giá trị gia tăng + đầu vào mua ngoài "
        "tỉnh). Tỷ lệ nguyên liệu thô bán ra ngoài tỉnh = phần sản lượng công đoạn đầu rời tỉnh "
        "khi chưa chế biến. Mỗi chuỗi yếu có một biểu đồ theo công đoạn.",
        "Value added = output less purchases (million VND). Local content = value added in "
        "the province / (value added + inputs bought outside). Raw leakage = the share of the "
        "first stage's output that leaves unprocessed. Each weak chain has a chart by stage.",
    ),
    "report_value_sentence": (
        "Cứ 100 đồng chuỗi {chain} bán ra thì {n} đồng được tạo ra trong tỉnh; {share} sản "
        "lượng thô rời tỉnh khi chưa chế biến: {raw}.",
        "Of each 100 đồng the {chain} chain sells, {n} are added in the province; {share} of "
        "its raw output leaves unprocessed: {raw}.",
    ),
    "report_value_unmeasured": (
        "Chuỗi {chain}: giá trị gia tăng âm hoặc không đo được (thiếu số liệu bán hoặc mua).",
        "The {chain} chain: value added negative or not measurable (sales or purchases missing).",
    ),
    "report_value_no_raw": (
        "Cứ 100 đồng chuỗi {chain} bán ra thì {n} đồng được tạo ra trong tỉnh.",
        "Of each 100 đồng the {chain} chain sells, {n} are added in the province.",
    ),
    "chart_value": (
        "{chain}: giá trị gia tăng trong tỉnh và đầu vào mua ngoài tỉnh theo công đoạn",
        "{chain}: value added in the province and inputs bought outside, by stage",
    ),
    "chart_value_added": ("giá trị gia tăng trong tỉnh", "value added in the province"),
    "chart_bought_outside": ("đầu vào mua ngoài tỉnh", "inputs bought outside"),
    "chart_value_axis": ("Triệu đồng", "Million VND"),
    "chart_stage": ("Công đoạn {n}", "Stage {n}"),
    "report_h_chains": ("Mức độ liên kết của các chuỗi", "How well each chain is coupled"),
    "report_x_chains": (
        "Điểm liên kết (0–100) là trung bình của: độ đầy đủ các công đoạn, tỷ lệ cơ sở sản xuất "
        "có bên mua trong tỉnh, tỷ lệ nguyên liệu thô được chế biến tại chỗ và tỷ lệ nguyên liệu "
        "của nhà máy mua trong tỉnh. Dưới 50 là yếu.",
        "The coupling score (0–100) is the mean of: how many stages exist, the share of "
        "producers with a local buyer, the share of raw output processed locally, and the "
        "share of processors' inputs bought locally. Under 50 is weak.",
    ),
    "report_h_linkages": ("Ngành then chốt (chỉ số lan toả)", "Key sectors (linkage indices)"),
    "report_x_linkages": (
        "BL > 1: ngành mua của các ngành khác trong tỉnh nhiều hơn trung bình; FL > 1: bán cho "
        "các ngành khác nhiều hơn trung bình; cả hai: ngành then chốt.",
        "BL > 1: the sector buys from the region's other sectors more than average; FL > 1: it "
        "sells to them more than average; both: a key sector.",
    ),
    "report_h_unlinked": (
        "Cơ sở sản xuất chưa có bên mua trong tỉnh",
        "Producers with no local buyer",
    ),
    "report_x_unlinked": (
        "Kèm số doanh nghiệp trong tỉnh dùng sản phẩm của họ và bên mua tiềm năng gần nhất.",
        "With the number of local enterprises that use what they sell, and the nearest one.",
    ),
    "report_h_products": ("Tình trạng liên kết theo sản phẩm", "Products by linkage status"),
    "report_h_stages": ("Công đoạn chế biến còn thiếu", "Missing processing stages"),
    "report_h_suggest": ("Liên kết nên kết nối", "Suggested links"),
    "report_x_suggest": (
        "Cặp bên bán – bên mua có thể giao dịch mà chưa có liên kết, gần nhất trước.",
        "Seller–buyer pairs that could trade and do not yet, nearest first.",
    ),
    "report_h_flags": ("Cảnh báo theo doanh nghiệp", "Enterprise flags"),
    "report_h_load": ("Báo cáo nạp dữ liệu", "Load report"),
    "chart_trend": (
        "Điểm liên kết các chuỗi và tỷ lệ bán trong tỉnh theo năm",
        "Chain coupling scores and local share of sales by year",
    ),
    "chart_occupancy": (
        "Tỷ lệ lấp đầy các khu, cụm công nghiệp",
        "Occupancy of industrial clusters",
    ),
    "chart_target": ("mục tiêu {p}", "target {p}"),
    "report_h_progress": ("Tiến độ qua các năm", "Progress over the years"),
    "report_x_progress": (
        "So với năm trước đó: liên kết nội tỉnh mới và mất đi, số cơ sở sản xuất chưa có bên mua "
        "trong tỉnh, điểm liên kết từng chuỗi.",
        "Against the previous year: local links gained and lost, producers without a local "
        "buyer, each chain's coupling score.",
    ),
    "report_h_clusters": ("Khu, cụm công nghiệp", "Industrial clusters"),
    "report_x_clusters": (
        "Mục tiêu của {plan}: tỷ lệ lấp đầy các khu, cụm công nghiệp trên {target}.",
        "The target of {plan}: industrial clusters over {target} occupied.",
    ),
    "report_x_clusters_count": (
        "Số khu, cụm công nghiệp có hạ tầng cần đạt: ít nhất {n}.",
        "Clusters with infrastructure to reach: at least {n}.",
    ),
    "report_x_clusters_generic": (
        "Tỷ lệ lấp đầy của từng khu, cụm công nghiệp (diện tích doanh nghiệp sử dụng / diện tích "
        "khu), so với mức {target}.",
        "Occupancy of each industrial cluster (land its enterprises use over its area), against "
        "{target}.",
    ),
    "chart_coupling": ("Điểm liên kết theo chuỗi", "Coupling score by chain"),
    "chart_weak_line": ("ngưỡng yếu", "weak below"),
    "chart_flows": (
        "Lưu lượng bán trong tỉnh và ra ngoài tỉnh theo chuỗi",
        "Local and outside sales by chain",
    ),
    "chart_flow_axis": ("Tổng {weight} ({unit})", "Total {weight} ({unit})"),
    "chart_local": ("trong tỉnh", "local"),
    "chart_external": ("ra ngoài tỉnh", "outside"),
    "chart_key_sectors": (
        "Ngành then chốt: lan toả ngược và xuôi",
        "Key sectors: backward and forward linkage",
    ),
    # --- exports -------------------------------------------------------------
    "xl_summary": ("Tổng quan", "Summary"),
    "xl_unlinked": ("Chưa liên kết", "Unlinked producers"),
    "xl_products": ("Tình trạng sản phẩm", "Product status"),
    "xl_stages": ("Công đoạn thiếu", "Missing stages"),
    "xl_flags": ("Cảnh báo DN", "Enterprise flags"),
    "xl_coupling": ("Liên kết chuỗi", "Chain coupling"),
    "xl_linkages": ("Chỉ số lan toả", "Linkage indices"),
    "xl_value_stage": ("GTGT theo công đoạn", "Value added by stage"),
    "xl_value_chain": ("GTGT theo chuỗi", "Value added by chain"),
    "xl_suggest": ("Gợi ý liên kết", "Suggested links"),
    "xl_critical": ("DN quan trọng", "Critical enterprises"),
    "report_h_protect": ("Doanh nghiệp cần giữ vững", "Firms to protect"),
    "report_x_protect": (
        "Nếu doanh nghiệp ngừng hoạt động, tỉnh mất bao nhiêu phần sản lượng: bên mua mất nguyên "
        "liệu, bên bán mất đầu ra, lan theo các liên kết nội tỉnh (không ai thay thế trong năm). "
        "Danh sách các doanh nghiệp làm mất từ 5 % sản lượng trở lên.",
        "How much of the region's output is lost if the enterprise stops: its buyers lose "
        "inputs, its suppliers lose sales, and so on along local links (nobody replaced within "
        "the year). Listed: the enterprises whose loss costs 5 % of output or more.",
    ),
    "report_protect_large": (
        "{n} doanh nghiệp: quá nhiều để thử từng doanh nghiệp trong báo cáo (tối đa {limit}); "
        "bảng tính xuất ra có trang DN quan trọng, và lệnh valuechain critical chọn những doanh "
        "nghiệp cần thử bằng cận trên thiệt hại của mỗi doanh nghiệp rồi nói tỷ lệ tìm thấy "
        "(recall) của cách chọn đó.",
        "{n} enterprises: too many to test each in the report (at most {limit}); the workbook "
        "export has a Critical enterprises sheet, and valuechain critical chooses whom to test by "
        "a bound on each enterprise's loss and states the recall of that choice.",
    ),
    "report_protect_every": (
        "Đã thử từng doanh nghiệp trong {n} doanh nghiệp (không chọn mẫu): danh sách đầy đủ.",
        "Every one of the {n} enterprises was tested (no screen): the list is complete.",
    ),
    "xl_load": ("Báo cáo nạp", "Load report"),
    "export_geojson_note": (
        "{external} liên kết ra ngoài tỉnh và {nopos} liên kết thiếu toạ độ không vẽ được; "
        "{ent} doanh nghiệp thiếu toạ độ",
        "{external} links to or from outside and {nopos} links without positions are left "
        "out; {ent} enterprises have no position",
    ),
    "export_columns_note": (
        "Bảng {table} có quá nhiều cột cho một sheet Excel (tối đa 16.384): bỏ {n} cột cuối "
        "khỏi sổ; các định dạng khác giữ đủ",
        "The {table} table has more columns than an Excel sheet holds (16,384): its last {n} "
        "are left out of the workbook; the other formats keep them all",
    ),
    "export_merged_note": (
        "{n} liên kết song song (cùng cặp, sản phẩm khác) được gộp thành một cạnh",
        "{n} parallel links (same pair, other product) merged into one edge",
    ),
    # --- progress ------------------------------------------------------------
    "no_years": (
        "các liên kết không có cột năm (year): không có tiến độ theo năm để tính",
        "the links carry no year: there is no progress over years to show",
    ),
    "cmp_head": (
        "Trước (A): {a} · Sau (B): {b} · trọng số {weight}",
        "Before (A): {a} · After (B): {b} · weight {weight}",
    ),
    "cmp_links": (
        "Liên kết nội tỉnh mới: {new}; mất đi: {lost}",
        "Local links gained: {new}; lost: {lost}",
    ),
    "cmp_local_links": ("Liên kết nội tỉnh", "Local links"),
    "cmp_local_share": ("Tỷ lệ nội tỉnh", "Local share"),
    "cmp_unlinked": ("Cơ sở sản xuất chưa liên kết", "Unlinked producers"),
    "cmp_links_total": ("Liên kết", "Links"),
    "cmp_became_linked": (
        "Cơ sở sản xuất đã có bên mua trong tỉnh ({n})",
        "Producers that found a local buyer ({n})",
    ),
    "cmp_became_unlinked": (
        "Cơ sở sản xuất mất bên mua trong tỉnh ({n})",
        "Producers that lost their local buyers ({n})",
    ),
    # --- CLI ---------------------------------------------------------------
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    # --- table headers (csv/json keep the machine column names) ---------------
    "col_id": ("Mã", "Id"),
    "col_name": ("Tên", "Name"),
    "col_type": ("Loại hình", "Type"),
    "col_district": ("Huyện", "District"),
    "col_outputs": ("Sản phẩm bán", "Outputs"),
    "col_inputs": ("Đầu vào", "Inputs"),
    "col_status": ("Tình trạng", "Status"),
    "col_candidates": ("Số bên mua tiềm năng", "Candidates"),
    "col_nearest_candidate": ("Bên mua gần nhất", "Nearest candidate"),
    "col_nearest_km": ("Khoảng cách (km)", "Distance (km)"),
    "col_product": ("Sản phẩm", "Product"),
    "col_chain": ("Chuỗi", "Chain"),
    "col_stage": ("Công đoạn", "Stage"),
    "col_producers": ("Số cơ sở sản xuất", "Producers"),
    "col_consumers": ("Số cơ sở sử dụng", "Consumers"),
    "col_local_links": ("Liên kết nội tỉnh", "Local links"),
    "col_local_share": ("Tỷ lệ nội tỉnh", "Local share"),
    "col_from": ("Từ nguyên liệu", "From"),
    "col_local_out_share": ("Tỷ lệ bán nội tỉnh", "Local out share"),
    "col_buyers": ("Số bên mua", "Buyers"),
    "col_top_buyer_share": ("Tỷ lệ bên mua lớn nhất", "Top buyer share"),
    "col_local_in_share": ("Tỷ lệ mua nội tỉnh", "Local in share"),
    "col_flags": ("Cảnh báo", "Flags"),
    "col_enterprises": ("Doanh nghiệp", "Enterprises"),
    "col_completeness": ("Độ đầy đủ", "Completeness"),
    "col_producer_coverage": ("Tỷ lệ cơ sở sản xuất có bên mua", "Producer coverage"),
    "col_local_processing_rate": ("Tỷ lệ chế biến tại chỗ", "Local processing"),
    "col_local_sourcing_rate": ("Tỷ lệ nguyên liệu tại chỗ", "Local sourcing"),
    "col_components": ("Số nhóm tách rời", "Separate groups"),
    "col_coupling_score": ("Điểm liên kết", "Coupling score"),
    "col_weak": ("Yếu", "Weak"),
    "col_source": ("Bên bán", "Seller"),
    "col_target": ("Bên mua", "Buyer"),
    "col_km": ("km", "km"),
    "col_reason": ("Lý do", "Reason"),
    "col_sector": ("Ngành", "Sector"),
    "col_x": ("Giá trị sản xuất của ngành", "Sector output"),
    "col_BL": ("Mức mua từ ngành khác (BL)", "Buys from other sectors (BL)"),
    "col_FL": ("Mức bán cho ngành khác (FL)", "Sells to other sectors (FL)"),
    "col_class": ("Nhóm", "Class"),
    "col_level": ("Mức", "Level"),
    "col_file": ("Tệp", "File"),
    "col_row": ("Dòng", "Row"),
    "col_column": ("Cột", "Column"),
    "col_message": ("Nội dung", "Message"),
    "col_key": ("Chỉ tiêu", "Figure"),
    "col_value": ("Giá trị", "Value"),
    "col_score_a": ("Trước (A)", "Before (A)"),
    "col_score_b": ("Sau (B)", "After (B)"),
    "col_delta": ("Thay đổi", "Change"),
    "col_year": ("Năm", "Year"),
    "col_links": ("Liên kết", "Links"),
    "col_unlinked": ("Chưa liên kết", "Unlinked producers"),
    "col_year_from": ("Năm gợi ý", "Suggested in"),
    "col_year_to": ("Năm kiểm tra", "Checked in"),
    "col_new_links": ("Liên kết mới trong tỉnh", "New local links"),
    "col_new_between_known": ("… giữa doanh nghiệp đã có", "… between known firms"),
    "col_method": ("Cách xếp hạng", "Ranking"),
    "col_k": ("k gợi ý đầu", "First k"),
    "col_precision": ("Tỷ lệ đúng @k", "Precision@k"),
    "col_recall": ("Tỷ lệ tìm ra @k", "Recall@k"),
    "col_average_precision": ("Tỷ lệ đúng trung bình", "Average precision"),
    "val_score": ("điểm bằng chứng", "evidence score"),
    "val_nearest": ("bên mua gần nhất", "nearest buyer"),
    "val_random": ("ngẫu nhiên (kỳ vọng)", "random (expected)"),
    "col_score": ("Điểm bằng chứng", "Evidence score"),
    "col_new_local_links": ("Liên kết nội tỉnh mới", "New local links"),
    "col_lost_local_links": ("Liên kết nội tỉnh mất", "Lost local links"),
    "col_cluster": ("Cụm", "Cluster"),
    "col_area_ha": ("Diện tích (ha)", "Area (ha)"),
    "col_land_used_ha": ("Đã sử dụng (ha)", "Land used (ha)"),
    "col_occupancy": ("Tỷ lệ lấp đầy", "Occupancy"),
    "col_meets_target": ("Đạt mục tiêu", "Meets target"),
    "col_employees": ("Lao động", "Employees"),
    "col_output": ("Giá trị sản xuất (triệu đồng)", "Output (million VND)"),
    "col_bought_local": ("Mua trong tỉnh (triệu đồng)", "Bought locally (million VND)"),
    "col_bought_outside": ("Mua ngoài tỉnh (triệu đồng)", "Bought outside (million VND)"),
    "col_value_added": ("Giá trị gia tăng (triệu đồng)", "Value added (million VND)"),
    "col_value_added_per_worker": (
        "Giá trị gia tăng / lao động (triệu đồng)",
        "Value added per worker (million VND)",
    ),
    "col_local_content": ("Tỷ lệ giá trị tạo ra trong tỉnh", "Local content"),
    "col_raw_leakage": ("Tỷ lệ nguyên liệu thô bán ra ngoài tỉnh", "Raw leakage"),
    "col_flag": ("Cảnh báo", "Flag"),
    "col_value_added_estimate": (
        "Giá trị gia tăng ước tính (triệu đồng)",
        "Estimated value added (million VND)",
    ),
    # --- values shown in tables -----------------------------------------------
    "val_isolated": ("không có bên mua", "isolated"),
    "val_external_only": ("chỉ bán ra ngoài tỉnh", "external only"),
    "val_missing_link": ("thiếu liên kết", "missing link"),
    "val_no_local_buyer": ("không có bên mua trong tỉnh", "no local buyer"),
    "val_no_local_supply": ("không có nguồn cung trong tỉnh", "no local supply"),
    "val_weak_link": ("liên kết yếu", "weak link"),
    "val_linked": ("đã liên kết", "linked"),
    "val_unused": ("chưa dùng", "unused"),
    "val_external_dependent": ("phụ thuộc bên ngoài", "external dependent"),
    "val_single_buyer": ("một bên mua", "single buyer"),
    "val_imports_inputs": ("nhập nguyên liệu có sẵn trong tỉnh", "imports inputs"),
    "val_unlinked": ("chưa liên kết", "unlinked"),
    "val_negative_value_added": (
        "giá trị gia tăng âm (thiếu số liệu bán hoặc mua)",
        "negative value added (sales or purchases missing)",
    ),
    "val_key": ("ngành then chốt", "key"),
    "val_backward": ("lan toả ngược", "backward"),
    "val_forward": ("lan toả xuôi", "forward"),
    "val_weak": ("yếu", "weak"),
    "shape_dot": ("chấm tròn", "dot"),
    "shape_triangle": ("tam giác", "triangle"),
    "shape_square": ("hình vuông", "square"),
    "shape_diamond": ("hình thoi", "diamond"),
    "shape_star": ("ngôi sao", "star"),
    "shape_hexagon": ("lục giác", "hexagon"),
    "val_auto": ("tự động", "auto"),
    "unit_value": ("triệu đồng", "million VND"),
    "unit_volume": ("theo đơn vị của từng sản phẩm", "each product's unit"),
    "unit_links": ("liên kết", "links"),
    "val_value": ("giá trị", "value"),
    "val_volume": ("sản lượng", "volume"),
    "val_links": ("số liên kết", "link count"),
    "val_all": ("tất cả các năm", "all years"),
    "val_farm": ("nông nghiệp", "farm"),
    "val_forestry": ("lâm nghiệp", "forestry"),
    "val_mine": ("khai khoáng", "mine"),
    "val_processor": ("chế biến", "processor"),
    "val_service": ("dịch vụ", "service"),
    "val_external": ("bên ngoài tỉnh", "outside"),
    "val_error": ("lỗi", "error"),
    "val_info": ("thông tin", "info"),
    "val_warning": ("cảnh báo", "warning"),
    "rejected_note": (
        "{n} dòng bị loại khi nạp dữ liệu; xem: valuechain validate",
        "{n} rows were rejected while loading; see: valuechain validate",
    ),
    "report_ok": (
        "Đã nạp {loaded} dòng, loại {rejected}, {warnings} cảnh báo.",
        "Loaded {loaded} rows, rejected {rejected}, {warnings} warnings.",
    ),
    "more_rows": (
        "… còn {n} dòng nữa (dùng --limit 0 hoặc --format csv để xem hết)",
        "… {n} more rows (use --limit 0 or --format csv to see all)",
    ),
    "weight_used": ("Trọng số: {weight}", "Weight: {weight}"),
    "year_used": ("Năm: {year}", "Year: {year}"),
    "nothing": ("(không có dòng nào)", "(no rows)"),
    "no_dask": (
        "lệnh invoices cần Dask, chưa được cài: pip install 'valuechain[dask]'",
        "the invoices command needs Dask, which is not installed: pip install 'valuechain[dask]'",
    ),
    "bad_scheduler": (
        "--scheduler {address}: không phải địa chỉ bộ điều phối Dask ({reason}); "
        "ví dụ tcp://10.0.0.5:8786",
        "--scheduler {address}: not a Dask scheduler address ({reason}); e.g. tcp://10.0.0.5:8786",
    ),
    "no_scheduler": (
        "không kết nối được bộ điều phối Dask {address}: {reason}",
        "cannot reach the Dask scheduler at {address}: {reason}",
    ),
    "no_invoice_files": (
        "{path}: không có tệp dòng hoá đơn nào (.parquet hoặc .csv)",
        "{path}: no invoice line files (.parquet or .csv)",
    ),
    "invoice_not_lines": (
        "{file}: không phải tệp dòng hoá đơn (.parquet hoặc .csv); lưu sổ Excel thành CSV trước",
        "{file}: not a file of invoice lines (.parquet or .csv); save a workbook as CSV first",
    ),
    "invoice_mixed": (
        "{path}: có cả {parquet} tệp Parquet và {csv} tệp CSV; chỉ đọc một loại, "
        "ví dụ '{path}/*.parquet'",
        "{path}: holds {parquet} Parquet and {csv} CSV files; give one kind, "
        "e.g. '{path}/*.parquet'",
    ),
    "bad_parquet": (
        "{file}: không phải tệp Parquet đọc được (trống, bị cắt hoặc hỏng: {reason})",
        "{file}: not a readable Parquet file (empty, cut short or damaged: {reason})",
    ),
    "invoice_read_failed": (
        "không đọc được các dòng hoá đơn: {reason}",
        "the invoice lines could not be read: {reason}",
    ),
    "cluster_lost": (
        "mất cụm Dask ({reason}): không ghi gì; chạy lại khi cụm hoạt động",
        "the Dask cluster was lost ({reason}): nothing was written; run again when it is up",
    ),
    "lost_no_scheduler": ("không còn bộ điều phối", "no scheduler"),
    "lost_no_worker": ("không còn tiến trình tính toán nào", "no worker left"),
    "cluster_lost_data": (
        "cụm Dask làm mất dữ liệu của một tác vụ mà không tính lại được ({error}): không ghi "
        "gì; chạy lại",
        "the Dask cluster lost a task's data and could not compute it again ({error}): nothing "
        "was written; run again",
    ),
    "registry_duplicates": (
        "{file}: mã số thuế trùng trong danh sách doanh nghiệp ({codes}): sửa trước khi tạo "
        "bộ dữ liệu",
        "{file}: tax codes repeated in the registry ({codes}): fix them before making a dataset",
    ),
    "output_inside_input": (
        "-o {output}: nằm trong thư mục dòng hoá đơn {lines}; chọn thư mục khác",
        "-o {output}: inside the invoice lines folder {lines}; choose another folder",
    ),
    "output_not_empty": (
        "-o {output}: thư mục đã có tệp ({found}); chọn thư mục mới hoặc xoá nó trước",
        "-o {output}: the folder already holds files ({found}); choose a new folder or "
        "empty it first",
    ),
    "invoice_columns": (
        "{file}: thiếu cột {missing} của dòng hoá đơn (có: {found})",
        "{file}: the invoice lines lack the column(s) {missing} (found: {found})",
    ),
    "cannot_read_table": ("không đọc được {file}: {reason}", "cannot read {file}: {reason}"),
    "registry_no_id": (
        "{file}: danh sách doanh nghiệp cần cột id (mã số thuế); có: {found}",
        "{file}: the registry needs an id column (the tax code); found: {found}",
    ),
    "national_no_province": (
        "{file}: bảng toàn quốc cần cột province; có: {found}",
        "{file}: the national table needs a province column; found: {found}",
    ),
    "invoices_done": (
        "Đã đọc {read} dòng hoá đơn, dùng {used}; {links} liên kết",
        "Read {read} invoice lines, used {used}; {links} links",
    ),
    "sum_enterprises": ("Doanh nghiệp", "Enterprises"),
    "sum_links": ("Liên kết", "Links"),
    "sum_local_links": ("Liên kết nội tỉnh", "Local links"),
    "sum_external_links": ("Liên kết với bên ngoài tỉnh", "Links with outside parties"),
    "sum_rejected_rows": ("Dòng bị loại khi nạp", "Rows rejected on loading"),
    "sum_weight": ("Trọng số", "Weight"),
    "sum_year": ("Năm", "Year"),
    "sum_by_type": ("Loại hình: {name}", "Type: {name}"),
    "sum_by_district": ("Huyện: {name}", "District: {name}"),
    "sum_by_chain": ("Chuỗi: {name}", "Chain: {name}"),
    "backtest_years": (
        "cần ít nhất hai năm khảo sát để kiểm tra gợi ý; liên kết có các năm: {years}",
        "checking suggestions needs two survey years or more; the links carry: {years}",
    ),
    "backtest_bad_years": (
        "--from/--to: cần hai năm khảo sát có trong dữ liệu, năm sau lớn hơn; các năm có: {years}",
        "--from/--to: two survey years of the data, the second later; years present: {years}",
    ),
    "backtest_bad_k": (
        "--k {k}: cần các số nguyên dương cách nhau bởi dấu phẩy, ví dụ 10,50,100",
        "--k {k}: positive whole numbers separated by commas, e.g. 10,50,100",
    ),
    "invoices_credit_notes": (
        "trong đó {n} dòng hoá đơn điều chỉnh giảm (số tiền âm), đã trừ vào liên kết của chúng",
        "of which {n} credit notes (negative amounts), netted into their links",
    ),
    "invoices_left_out": ("bỏ ra ({reason}): {n}", "left out ({reason}): {n}"),
    "invoices_worker_peak": (
        "bộ nhớ đỉnh của tiến trình {worker}: {mib} MiB",
        "peak memory of worker {worker}: {mib} MiB",
    ),
    "reason_no_seller": ("không có bên bán", "no seller"),
    "reason_no_buyer": ("không có bên mua", "no buyer"),
    "reason_bad_tax_code": ("mã số thuế không hợp lệ", "not a valid tax code"),
    "reason_date": (
        "ngày không đọc được hoặc ngoài 1990–2100",
        "unreadable date, or outside 1990–2100",
    ),
    "reason_amount": ("số tiền không đọc được", "unreadable amount"),
    "reason_too_large": (
        "số tiền trên 10^15 đồng hoặc số lượng trên 10^11",
        "amount above 10^15 đồng or quantity above 10^11",
    ),
    "reason_outside": ("cả hai bên ngoài vùng", "both sides outside the region"),
    "cannot_write": ("không ghi được {path}: {reason}", "cannot write {path}: {reason}"),
    "os_no_space": ("ổ đĩa đã hết chỗ trống", "no space left on the disk"),
    "os_no_space_temp": ("không còn chỗ cho các tệp tạm", "no space left for its temporary files"),
    "os_quota": ("đã dùng hết hạn mức dung lượng", "the disk quota is used up"),
    "os_no_permission": (
        "không có quyền truy cập (tệp có đang mở trong chương trình khác, như Excel?)",
        "permission denied (is the file open in another program, such as Excel?)",
    ),
    "os_not_found": ("không tồn tại", "does not exist"),
    "os_error": ("{file}: {reason}", "{file}: {reason}"),
    "os_read_only": ("ổ đĩa chỉ cho đọc", "the disk is read-only"),
    "os_file_too_big": ("đã chạm giới hạn kích thước tệp", "a file-size limit was reached"),
    "os_name_too_long": ("tên tệp quá dài", "the name is too long"),
    "os_is_folder": ("đã có thư mục trùng tên", "a folder has that name"),
    "os_not_folder": (
        "một phần của đường dẫn là tệp, không phải thư mục",
        "part of the path is a file, not a folder",
    ),
    "loading": ("Đang nạp {path}", "Loading {path}"),
    "loaded": (
        "Đã nạp {n} doanh nghiệp, {m} liên kết trong {s} giây; đang phân tích…",
        "Loaded {n} enterprises, {m} links in {s} s; analysing…",
    ),
    "loaded_cache": (
        "Đã nạp {n} doanh nghiệp, {m} liên kết trong {s} giây (bản đã kiểm tra trong bộ nhớ "
        "đệm {cache}; --no-cache để đọc lại tệp); đang phân tích…",
        "Loaded {n} enterprises, {m} links in {s} s (the validated copy in the cache "
        "{cache}; --no-cache reads the files again); analysing…",
    ),
    "generating": ("Đang tạo {n} doanh nghiệp", "Generating {n} enterprises"),
    "bad_memory": (
        "'{value}' không phải một dung lượng (ví dụ 2GiB, 500MB)",
        "'{value}' is not a size (e.g. 2GiB, 500MB)",
    ),
    "generate_one_of": (
        "cần đúng một trong hai: --enterprises hoặc --invoices",
        "give exactly one of --enterprises and --invoices",
    ),
    "generating_invoices": ("Đang tạo {n} dòng hoá đơn", "Writing {n} invoice lines"),
    "generated_invoices": (
        "Đã ghi {n} dòng hoá đơn vào {lines}, danh sách doanh nghiệp {registry}, "
        "bảng toàn quốc {national}",
        "Wrote {n} invoice lines to {lines}, the registry {registry}, "
        "the national table {national}",
    ),
    "generated": (
        "Đã ghi {path}: {n} doanh nghiệp, {m} liên kết",
        "Wrote {path}: {n} enterprises, {m} links",
    ),
    "internal_error": (
        "lỗi nội bộ của valuechain ({error}); chạy lại với -v để xem chi tiết và báo lỗi",
        "internal error in valuechain ({error}); run again with -v for the details and report it",
    ),
    "missing_stages_title": (
        "Công đoạn chế biến còn thiếu (có nguyên liệu trong tỉnh nhưng không ai chế biến):",
        "Missing processing stages (the input is made here, nobody processes it):",
    ),
}


def t(key: str, lang: str = DEFAULT_LANG, **params: object) -> str:
    """Return the text for `key` in `lang` (a code of `LANGS`; another reads as
    the default) with `params` filled in; a `Figure` or `Words` parameter is
    written in that language."""
    entry = TEXT[key]
    code = lang if lang in LANGS else DEFAULT_LANG
    template = entry[LANGS.index(code)]
    said = {k: v.text(code) if isinstance(v, Figure | Words) else v for k, v in params.items()}
    return template.format(**said)


class Figure:
    """A number in a text, written as the text's reader writes numbers (1.234 in
    Vietnamese, 1,234 in English) when the text is made."""

    def __init__(self, value: float, digits: int = 0) -> None:
        self.value, self.digits = value, digits

    def text(self, lang: str) -> str:
        from valuechain.i18n.numbers import number_text

        return number_text(self.value, Language(lang), self.digits)


class Words:
    """A phrase of the catalog in a text (a reason in valuechain's own words),
    said in the language of the text when it is made."""

    def __init__(self, key: str, **params: object) -> None:
        self.key, self.params = key, params

    def text(self, lang: str) -> str:
        return t(self.key, lang, **self.params)


def _from_english(table: str, english: str, lang: str) -> str:
    """`english` in `lang` from `help.py`'s table `<table>_<LANG>` (HELP_VI…);
    the English itself for English, or when the table has no entry."""
    from valuechain.i18n import help as tables

    found: dict[str, str] = getattr(tables, f"{table}_{lang.upper()}", {})
    return found.get(english, english)


def help_text(english: str, lang: str) -> str:
    """A help text (the English after `inspect.cleandoc`) in `lang`."""
    return _from_english("HELP", english, lang)


def click_text(message: str, lang: str) -> str:
    """One of click's own words or messages (its English) in `lang`."""
    return _from_english("CLICK", message, lang)


def metavar_text(english: str, lang: str) -> str:
    """An option's placeholder (FILE, NAME…) in `lang`."""
    return _from_english("METAVAR", english, lang)


class Language(str):
    """A language valuechain speaks, as its code ("vi" or "en"), with the catalog
    at hand: `lang.t(key, **params)`. It is a `str`, so it goes wherever a
    language code goes; the command line makes one from `--lang` and passes it
    down."""

    def __new__(cls, code: str = DEFAULT_LANG) -> Language:
        if code not in LANGS:
            raise ValueError(f"unknown language {code!r}; choose one of {', '.join(LANGS)}")
        return super().__new__(cls, code)

    def t(self, key: str, **params: object) -> str:
        """The text for `key` in this language, `params` filled in."""
        return t(key, self, **params)


VI = Language("vi")
