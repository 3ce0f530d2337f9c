"""The command line's help in Vietnamese, keyed by its English text (part of the
catalog: `valuechain.i18n.help_text` reads it).

The English stays beside the code it describes (docstrings and `help=`); this
table gives each the Vietnamese a planner reads with `--lang vi` (the default).
Keys are the English after `inspect.cleandoc`. A test walks every command and
option and fails when one has no entry here, so a help text changed in English
without its Vietnamese is caught. Examples keep their commands as written: they
run the same in either language.
"""

from __future__ import annotations

__all__ = ["HELP_VI", "CLICK_VI", "METAVAR_VI"]

HELP_VI: dict[str, str] = {
    # --- the slice options (cli/options.SLICE_OPTIONS) ---------------------------------------
    "Only enterprises of this district (repeatable; case and diacritics ignored).": (
        "Chỉ doanh nghiệp thuộc huyện này (dùng được nhiều lần, không phân biệt hoa thường và dấu)."
    ),
    "Only this value chain, by code or name (repeatable; case and diacritics ignored).": (
        "Chỉ chuỗi giá trị này, theo mã hoặc tên (dùng được nhiều lần, không phân biệt hoa "
        "thường và dấu)."
    ),
    "Only enterprises of this type, by code or Vietnamese name (repeatable; case and "
    "diacritics ignored).": (
        "Chỉ doanh nghiệp thuộc loại hình này: nông nghiệp, lâm nghiệp, khai khoáng… (hay "
        "farm, forestry, mine…); dùng được nhiều lần, không phân biệt hoa thường và dấu."
    ),
    # --- the group ------------------------------------------------------------
    "Find where a region's value chains are broken.\n\n"
    "DATASET is a folder of CSV files (enterprises.csv, links.csv, optional\n"
    "products.csv and clusters.csv) or one .xlsx workbook with those sheets; it\n"
    "defaults to the bundled Bắc Kạn sample. How each figure is computed:\n"
    "docs/methods.md.": "Tìm chỗ đứt gãy trong các chuỗi giá trị của một địa phương.\n\n"
    "DỮ_LIỆU là một thư mục tệp CSV (doanh nghiệp, liên kết; tuỳ chọn: sản phẩm,\n"
    "khu/cụm công nghiệp, thông tin bộ dữ liệu) hoặc một tệp .xlsx có các trang\n"
    "đó; bỏ trống thì dùng dữ liệu mẫu Bắc Kạn kèm theo. Cách tính từng chỉ số:\n"
    "docs/methods.md.",
    "Example:\n\n\b\n  valuechain summary\n  valuechain --lang en unlinked --type farm\n"
    "  valuechain map -o graphs/linkage_map.html": "Ví dụ:\n\n\b\n  valuechain summary\n"
    '  valuechain unlinked --type "nông nghiệp"\n  valuechain map -o graphs/linkage_map.html',
    "Language of tables, maps and messages (default vi, or $VALUECHAIN_LANG).": (
        "Ngôn ngữ của bảng, bản đồ và thông báo (mặc định vi, hoặc theo $VALUECHAIN_LANG)."
    ),
    "Say what is being done, on stderr.": "Cho biết đang làm gì (in ra stderr).",
    "Read and validate the inputs again instead of reusing the validated copy kept in "
    "the user's cache (also: VALUECHAIN_CACHE=0).": (
        "Đọc và kiểm tra lại dữ liệu thay vì dùng bản đã kiểm tra lưu trong bộ nhớ đệm "
        "của người dùng (hoặc: VALUECHAIN_CACHE=0)."
    ),
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    # --- shared options -------------------------------------------------------------
    "Decimal mark of the CSV files (default: detected per file).": (
        "Dấu thập phân trong các tệp CSV (mặc định: tự nhận ra theo từng tệp)."
    ),
    "Rows shown in a table (0 = all). csv and json are never cut.": (
        "Số dòng hiện trong bảng (0 = tất cả). csv và json luôn đủ mọi dòng."
    ),
    "table for people; csv and json for programs.": (
        "table để đọc; csv và json cho các chương trình khác."
    ),
    "Year of links to analyse (default: the latest; 'all' pools).": (
        "Năm của các liên kết cần phân tích (mặc định: năm gần nhất; 'all': gộp mọi năm)."
    ),
    "What a link weighs in shares: auto = value, else volume, else link count.": (
        "Trọng số của một liên kết khi tính tỷ trọng: auto = giá trị, nếu không có thì sản "
        "lượng, nếu không có thì số liên kết."
    ),
    "HTML file to write (written whole or not at all).": (
        "Tệp HTML cần ghi (ghi trọn vẹn hoặc không ghi gì)."
    ),
    # --- validate ---------------------------------------------------------------------
    "Check a dataset and list every rejected row and dropped cell.\n\n"
    "Each line names the file, the row as a spreadsheet shows it (header = 1) and\n"
    "the column. Exits 3 when any row was rejected, 0 otherwise.\n\n\b\nExample:\n"
    "  valuechain validate my_province/\n"
    "  valuechain validate survey.xlsx --format csv > problems.csv": (
        "Kiểm tra một bộ dữ liệu, liệt kê mọi dòng bị loại và ô bị bỏ qua.\n\n"
        "Mỗi dòng ghi tên tệp, số dòng như bảng tính hiển thị (dòng tiêu đề = 1) và\n"
        "cột. Mã thoát 3 khi có dòng bị loại, 0 khi không.\n\n\b\nVí dụ:\n"
        "  valuechain validate tinh_cua_toi/\n"
        "  valuechain validate dieu_tra.xlsx --format csv > loi.csv"
    ),
    # --- summary ----------------------------------------------------------------------
    "Count enterprises and links by type, district and chain.\n\n\b\nExample:\n"
    "  valuechain summary\n  valuechain summary my_province/ --format json": (
        "Đếm doanh nghiệp và liên kết theo loại hình, huyện và chuỗi.\n\n\b\nVí dụ:\n"
        "  valuechain summary\n  valuechain summary tinh_cua_toi/ --format json"
    ),
    "Weight rule reported in the summary.": "Cách tính trọng số ghi trong phần tổng hợp.",
    "table for people; json (or csv key,value lines) for programs.": (
        "table để đọc; json (hoặc csv dạng khoá,giá trị) cho các chương trình khác."
    ),
    # --- unlinked ---------------------------------------------------------------------
    "List producers with no local buyer.\n\n"
    "A producer (farm, forestry, mine) is unlinked when it sells nothing to an\n"
    "enterprise of the region: `isolated` (no sale at all) or `external_only`\n"
    "(every sale leaves the region). Each comes with the number of local\n"
    "enterprises that buy what it sells, and the nearest of them.\n\n\b\nExample:\n"
    "  valuechain unlinked\n"
    '  valuechain unlinked --type forestry --district "Chợ Đồn"\n'
    "  valuechain unlinked --format csv > unlinked.csv": (
        "Liệt kê các cơ sở sản xuất chưa có bên mua trong tỉnh.\n\n"
        "Một cơ sở sản xuất (nông nghiệp, lâm nghiệp, khai khoáng) chưa liên kết khi\n"
        "không bán gì cho doanh nghiệp nào trong tỉnh: `isolated` (không bán cho ai)\n"
        "hoặc `external_only` (bán hết ra ngoài tỉnh). Kèm theo số doanh nghiệp trong\n"
        "tỉnh có mua sản phẩm đó và doanh nghiệp gần nhất.\n\n\b\nVí dụ:\n"
        "  valuechain unlinked\n"
        '  valuechain unlinked --type "lâm nghiệp" --district "Chợ Đồn"\n'
        "  valuechain unlinked --format csv > chua_lien_ket.csv"
    ),
    # --- gaps ---------------------------------------------------------------------------
    "Show each product's linkage status, missing stages and enterprise flags.\n\n"
    "The table and csv list the products; json adds the missing processing\n"
    "stages and every enterprise's coupling flags.\n\n\b\nExample:\n"
    "  valuechain gaps\n  valuechain gaps --format json > gaps.json": (
        "Tình trạng liên kết của từng sản phẩm, các khâu còn thiếu và cảnh báo\n"
        "về doanh nghiệp.\n\n"
        "Bảng và csv liệt kê các sản phẩm; json có thêm các khâu chế biến còn thiếu\n"
        "và cảnh báo liên kết của từng doanh nghiệp.\n\n\b\nVí dụ:\n"
        "  valuechain gaps\n  valuechain gaps --format json > khoang_trong.json"
    ),
    "A product is a weak link, an enterprise external-dependent, when its local share is "
    "below this.": (
        "Dưới tỷ lệ nội tỉnh này, một sản phẩm là liên kết yếu và một doanh nghiệp là phụ "
        "thuộc bên ngoài."
    ),
    # --- coupling -----------------------------------------------------------------------
    "Score how well each value chain is coupled, 0–100.\n\n"
    "The score is the mean of completeness, producer coverage, local processing\n"
    "and local sourcing; a chain under 50 is weak.\n\n\b\nExample:\n"
    "  valuechain coupling\n  valuechain --lang en coupling --format csv": (
        "Chấm điểm mức liên kết của từng chuỗi giá trị, từ 0 đến 100.\n\n"
        "Điểm là trung bình của: mức đầy đủ các khâu, tỷ lệ cơ sở sản xuất có bên\n"
        "mua, tỷ lệ chế biến trong tỉnh và tỷ lệ nguyên liệu mua trong tỉnh; chuỗi\n"
        "dưới 50 điểm là chuỗi yếu.\n\n\b\nVí dụ:\n"
        "  valuechain coupling\n  valuechain coupling --format csv"
    ),
    "Group by value chain (the only grouping).": "Nhóm theo chuỗi giá trị (cách nhóm duy nhất).",
    "A chain scoring below this is weak.": "Chuỗi có điểm dưới mức này là chuỗi yếu.",
    # --- suggest ------------------------------------------------------------------------
    "Suggest local links: who could sell to whom.\n\n"
    "Pairs where the seller makes what the buyer uses and they do not trade yet,\n"
    "for unlinked producers and for products whose local link is missing or\n"
    "weak (--all-sellers: every local seller); best first by the evidence score\n"
    "(nearness, how active the seller is, common partners, what the buyer and\n"
    "the seller's neighbours already trade; see docs/methods.md), one buyer per\n"
    "seller and product (--all-buyers: every one). value = what the seller now\n"
    "sells of the product outside the region.\n\n"
    "\b\nExample:\n"
    "  valuechain suggest --top 10\n"
    '  valuechain suggest --district "Na Rì" --chain "Gỗ"\n'
    "  valuechain suggest --max-km 30 --format csv > suggestions.csv\n"
    "  valuechain suggest --all-sellers --top 50": (
        "Gợi ý liên kết trong tỉnh: ai có thể bán cho ai.\n\n"
        "Các cặp mà bên bán làm ra thứ bên mua dùng và hai bên chưa giao dịch, cho\n"
        "các cơ sở sản xuất chưa liên kết và các sản phẩm thiếu hoặc yếu liên kết\n"
        "trong tỉnh (--all-sellers: mọi bên bán trong tỉnh); xếp theo điểm bằng chứng\n"
        "(gần nhau, bên bán năng động, có đối tác chung, điều bên mua và các bên bán\n"
        "cùng huyện đang giao dịch; xem docs/methods.md), mỗi bên bán và sản phẩm một\n"
        "bên mua (--all-buyers: mọi bên mua). value = giá trị bên bán đang bán sản\n"
        "phẩm đó ra ngoài tỉnh.\n\n"
        "\b\nVí dụ:\n"
        "  valuechain suggest --top 10\n"
        '  valuechain suggest --district "Na Rì" --chain "Gỗ"\n'
        "  valuechain suggest --max-km 30 --format csv > goi_y.csv\n"
        "  valuechain suggest --all-sellers --top 50"
    ),
    "Every local seller and everything it makes, with each pair's score.": (
        "Mọi bên bán trong tỉnh và mọi thứ họ làm ra, kèm điểm của từng cặp."
    ),
    "Check last survey's suggestions against the links that formed since.\n\n"
    "For each pair of survey years, the dataset as known in the first ranks the\n"
    "local seller, buyer and product triples that did not trade yet, by the\n"
    "evidence score, by the nearest buyer (the rule used before) and at random;\n"
    "precision@k and recall@k count the first k against the local links that\n"
    "trade for the first time in the second year. Needs two survey years.\n\n"
    "\b\nExample:\n"
    "  valuechain backtest\n"
    "  valuechain backtest my_province/ --from 2022 --to 2024 --k 20,100\n"
    "  valuechain backtest generated/ --format csv > backtest.csv": (
        "Kiểm tra gợi ý của kỳ khảo sát trước với các liên kết đã hình thành sau đó.\n\n"
        "Với mỗi cặp năm khảo sát, dữ liệu như đã biết ở năm đầu xếp hạng các bộ bên\n"
        "bán – bên mua – sản phẩm trong tỉnh chưa giao dịch: theo điểm bằng chứng, theo\n"
        "bên mua gần nhất (cách làm trước đây) và ngẫu nhiên; tỷ lệ đúng @k và tỷ lệ\n"
        "tìm ra @k đối chiếu k gợi ý đầu với các liên kết trong tỉnh lần đầu giao\n"
        "dịch ở năm sau. Cần hai năm khảo sát.\n\n"
        "\b\nVí dụ:\n"
        "  valuechain backtest\n"
        "  valuechain backtest du_lieu/ --from 2022 --to 2024 --k 20,100\n"
        "  valuechain backtest gia_lap/ --format csv > kiem_tra.csv"
    ),
    "The year suggestions are made in (default: every pair of years).": (
        "Năm đưa ra gợi ý (mặc định: mọi cặp năm liên tiếp)."
    ),
    "The year they are checked in (default: the next survey year).": (
        "Năm đối chiếu (mặc định: năm khảo sát kế tiếp)."
    ),
    "How many of the first suggestions are checked.": "Số gợi ý đầu được đối chiếu.",
    "Every buyer of each seller's product, not only the best-ranked one.": (
        "Mọi bên mua sản phẩm của mỗi bên bán, không chỉ bên mua xếp đầu."
    ),
    "How many suggestions (0 = all).": "Số gợi ý (0 = tất cả).",
    "Only pairs at most this far apart (drops pairs of unknown distance).": (
        "Chỉ các cặp cách nhau không quá chừng này km (bỏ các cặp không rõ khoảng cách)."
    ),
    # --- linkages -----------------------------------------------------------------------
    "Backward and forward linkage indices of sectors (Rasmussen–Hirschman).\n\n"
    "BL > 1: the sector buys more from the others than average (pulls); FL > 1:\n"
    "it sells more to them than average (pushes); both: a key sector. Needs link\n"
    "values.\n\n\b\nExample:\n"
    "  valuechain linkages\n  valuechain linkages --by district --format json": (
        "Chỉ số liên kết ngược và xuôi của các ngành (Rasmussen–Hirschman).\n\n"
        "BL > 1: ngành mua của các ngành khác nhiều hơn mức trung bình (kéo); FL > 1:\n"
        "ngành bán cho các ngành khác nhiều hơn mức trung bình (đẩy); cả hai: ngành\n"
        "then chốt. Cần giá trị của các liên kết.\n\n\b\nVí dụ:\n"
        "  valuechain linkages\n  valuechain linkages --by district --format json"
    ),
    "What a sector is.": "Thế nào là một ngành.",
    # --- value ----------------------------------------------------------------------------
    "Where the value is made and where it leaves: value added by stage.\n\n"
    "Per enterprise: output (output_value, else the value of its sales), what\n"
    "it buys in the region and outside, and value added = output - purchases\n"
    "(a negative one is flagged: sales or purchases are missing). An enterprise\n"
    "counts in the chain and stage of its main output. Per chain: local content\n"
    "= value added in the region / (value added + inputs bought outside), and\n"
    "raw leakage = the share of the first stage's output sold outside the\n"
    "region unprocessed. Needs values (million VND). See docs/methods.md.\n\n\b\nExample:\n"
    "  valuechain value\n"
    "  valuechain value --by chain\n"
    "  valuechain value --chain timber --by enterprise --format csv > timber.csv": (
        "Giá trị được tạo ra ở đâu và chảy đi đâu: giá trị gia tăng theo công đoạn.\n\n"
        "Mỗi doanh nghiệp: giá trị sản xuất (output_value, nếu không có thì giá trị bán\n"
        "ra), giá trị mua trong tỉnh và ngoài tỉnh, và giá trị gia tăng = giá trị sản\n"
        "xuất - giá trị mua (số âm được cảnh báo: thiếu số liệu bán hoặc mua). Doanh\n"
        "nghiệp được tính vào chuỗi và công đoạn của sản phẩm chính. Mỗi chuỗi: tỷ lệ\n"
        "giá trị tạo ra trong tỉnh = giá trị gia tăng trong tỉnh / (giá trị gia tăng +\n"
        "nguyên liệu mua ngoài tỉnh), và tỷ lệ nguyên liệu thô bán ra ngoài tỉnh = phần\n"
        "sản lượng công đoạn đầu bán ra ngoài tỉnh khi chưa chế biến. Cần số liệu giá\n"
        "trị (triệu đồng). Xem docs/methods.md.\n\n\b\nVí dụ:\n"
        "  valuechain value\n"
        "  valuechain value --by chain\n"
        "  valuechain value --chain Gỗ --by enterprise --format csv > go.csv"
    ),
    "A row per chain and stage, per chain, or per enterprise.": (
        "Mỗi dòng một chuỗi và công đoạn, một chuỗi, hoặc một doanh nghiệp."
    ),
    # --- map ------------------------------------------------------------------------------
    "Draw the interactive linkage map: one HTML file that opens offline.\n\n"
    "Enterprises are coloured and shaped by type and sized by flow; arrows go\n"
    "from seller to buyer, coloured by chain; links to and from outside the\n"
    "region are grey and dotted; unlinked producers have a vermilion border;\n"
    "suggested links are dashed vermilion. The page has a legend, filters by\n"
    "chain, district and type, a search box and tooltips.\n\n\b\nExample:\n"
    "  valuechain map\n"
    "  valuechain --lang en map my_province/ -o graphs/my_map.html\n"
    "  valuechain map --chain timber -o graphs/timber.html\n"
    "  valuechain map my_province/ --boundaries districts.geojson": (
        "Vẽ bản đồ liên kết tương tác: một tệp HTML mở được khi không có mạng.\n\n"
        "Doanh nghiệp có màu và hình theo loại hình, kích thước theo dòng hàng; mũi\n"
        "tên đi từ bên bán đến bên mua, màu theo chuỗi; liên kết với bên ngoài tỉnh\n"
        "màu xám, nét chấm; cơ sở sản xuất chưa liên kết có viền đỏ cam; liên kết\n"
        "gợi ý là nét đứt đỏ cam. Trang có chú giải, bộ lọc theo chuỗi, huyện và\n"
        "loại hình, ô tìm kiếm và chú thích khi trỏ chuột.\n\n\b\nVí dụ:\n"
        "  valuechain map\n"
        "  valuechain map tinh_cua_toi/ -o graphs/ban_do.html\n"
        '  valuechain map --chain "Gỗ" -o graphs/go.html\n'
        "  valuechain map tinh_cua_toi/ --boundaries ranh_gioi_huyen.geojson"
    ),
    "District or commune outlines (GeoJSON polygons in longitude/latitude, as exported "
    "from a GIS), drawn and named under the geographic layout.": (
        "Ranh giới huyện hoặc xã (vùng GeoJSON theo kinh độ/vĩ độ, xuất từ phần mềm GIS),\n"
        "vẽ và ghi tên bên dưới bản đồ theo địa lý."
    ),
    "geo: by longitude/latitude; chain: a column per stage, raw producers to outside buyers, "
    "left to right; force: by links. auto: geo when ≥ 80% of enterprises have coordinates "
    "and no --chain is asked, else chain.": (
        "geo: theo kinh độ/vĩ độ; chain: mỗi khâu một cột, từ cơ sở sản xuất đến bên mua ngoài "
        "tỉnh, từ trái sang phải; force: theo liên kết. auto: geo khi ≥ 80 % doanh nghiệp có "
        "toạ độ và không chọn --chain, còn lại là chain."
    ),
    "How many suggested links to draw, dashed.": "Số liên kết gợi ý được vẽ (nét đứt).",
    "Above --threshold enterprises draw groups: chain × stage or district × type (none: "
    "always enterprises).": (
        "Trên --threshold doanh nghiệp thì vẽ theo nhóm: chuỗi × khâu hoặc huyện × loại "
        "hình (none: luôn vẽ từng doanh nghiệp)."
    ),
    "How many enterprises a map shows one by one before it aggregates.": (
        "Số doanh nghiệp tối đa vẽ riêng từng cái trước khi gộp thành nhóm."
    ),
    "Also draw the local links gained (green) and lost (purple, dashed) since YEAR.": (
        "Vẽ thêm các liên kết trong tỉnh mới có (xanh lá) và mất đi (tím, nét đứt) kể từ NĂM."
    ),
    "What sizes nodes and widens lines.": "Đại lượng quyết định cỡ nút và độ dày nét.",
    # --- report -----------------------------------------------------------------------------
    "Write the planner's report: one HTML file to read, print and attach.\n\n"
    "Headline figures, chain coupling and flow charts, the key-sector chart,\n"
    "and tables of unlinked producers, products by status, missing stages,\n"
    "suggested links, enterprise flags and the load report.\n\n\b\nExample:\n"
    "  valuechain report\n"
    "  valuechain --lang en report my_province/ -o graphs/report_en.html\n"
    "  valuechain report --charts-dir graphs/charts\n"
    "  valuechain report --docx graphs/bao_cao.docx": (
        "Viết báo cáo cho cán bộ kế hoạch: một tệp HTML để đọc, in và đính kèm.\n\n"
        "Các số liệu chính, biểu đồ mức liên kết và dòng hàng của từng chuỗi, biểu\n"
        "đồ ngành then chốt, và các bảng: cơ sở sản xuất chưa liên kết, sản phẩm\n"
        "theo tình trạng, khâu còn thiếu, liên kết gợi ý, cảnh báo doanh nghiệp và\n"
        "kết quả kiểm tra dữ liệu.\n\n\b\nVí dụ:\n"
        "  valuechain report\n"
        "  valuechain report tinh_cua_toi/ -o graphs/bao_cao.html\n"
        "  valuechain report --charts-dir graphs/charts\n"
        "  valuechain report --docx graphs/bao_cao.docx"
    ),
    "Also write the report as a Word document (.docx): the same sections, tables and charts.": (
        "Ghi thêm báo cáo thành văn bản Word (.docx): cùng các mục, bảng và biểu đồ."
    ),
    "Also save each chart as a PNG in this folder (for Word).": (
        "Lưu thêm từng biểu đồ thành ảnh PNG vào thư mục này (để chèn vào Word)."
    ),
    "Rows shown per table before it is cut (with a count).": (
        "Số dòng tối đa của mỗi bảng (phần còn lại được ghi số lượng)."
    ),
    # --- clusters, trend, compare -------------------------------------------------------------
    "Occupancy of industrial clusters against the target.\n\n"
    "Land used is the sum of `land_ha` of the enterprises whose `cluster` is the\n"
    "cluster's id, over its `area_ha` from clusters.csv.\n\n\b\nExample:\n"
    "  valuechain clusters\n  valuechain clusters --target 0.8 --format csv": (
        "Tỷ lệ lấp đầy các khu, cụm công nghiệp so với mục tiêu.\n\n"
        "Diện tích sử dụng là tổng `land_ha` của các doanh nghiệp có `cluster` là mã\n"
        "của khu, cụm; chia cho `area_ha` của khu, cụm đó trong bảng khu/cụm.\n\n\b\nVí dụ:\n"
        "  valuechain clusters\n  valuechain clusters --target 0.8 --format csv"
    ),
    "Occupancy a cluster must reach (default: the plan's, from the dataset's about table, "
    "else 0.6).": (
        "Tỷ lệ lấp đầy một khu, cụm cần đạt (mặc định: theo bảng thông tin, nếu không có thì 0,6)."
    ),
    "Progress year by year: links, local share, unlinked producers, links gained\n"
    "and lost, or each chain's coupling score with --by chain.\n\n\b\nExample:\n"
    "  valuechain trend\n  valuechain trend --by chain --format csv": (
        "Tiến độ qua từng năm: liên kết, tỷ lệ nội tỉnh, cơ sở sản xuất chưa liên kết,\n"
        "liên kết mới có và mất đi; hoặc điểm liên kết của từng chuỗi với --by chain.\n\n"
        "\b\nVí dụ:\n  valuechain trend\n  valuechain trend --by chain --format csv"
    ),
    "year: totals per year; chain: each chain's score per year.": (
        "year: tổng theo năm; chain: điểm của từng chuỗi theo năm."
    ),
    "Compare two survey rounds: BEFORE and AFTER datasets (folders or workbooks).\n\n"
    "Chain scores before and after, producers that found or lost a local buyer,\n"
    "local links gained and lost. Each dataset's latest year is used.\n\n\b\nExample:\n"
    "  valuechain compare survey_2021/ survey_2024/\n"
    "  valuechain compare round1.xlsx round2.xlsx --format json": (
        "So sánh hai đợt điều tra: bộ dữ liệu TRƯỚC và SAU (thư mục hoặc tệp .xlsx).\n\n"
        "Điểm các chuỗi trước và sau, cơ sở sản xuất tìm được hoặc mất bên mua trong\n"
        "tỉnh, liên kết trong tỉnh mới có và mất đi. Mỗi bộ dùng năm gần nhất của nó.\n\n"
        "\b\nVí dụ:\n  valuechain compare dieu_tra_2021/ dieu_tra_2024/\n"
        "  valuechain compare dot1.xlsx dot2.xlsx --format json"
    ),
    "table for people; json for programs.": "table để đọc; json cho các chương trình khác.",
    "table for people; json or csv (the chains) for programs.": (
        "table để đọc; json hoặc csv (các chuỗi) cho các chương trình khác."
    ),
    # --- priorities ----------------------------------------------------------------------------
    "What to do first: whom to connect, which plant to attract, whom to protect.\n\n"
    "connect: each producer's sales of a product that leave the region, largest\n"
    "first, with the nearest enterprise that uses the product (existing or new\n"
    "buyer) and the value now leaving. attract: each missing processing stage,\n"
    "ranked by the value of its raw input now leaving the region. protect: the\n"
    "enterprises whose stop would cost the region 5 % or more of its output.\n"
    "See docs/methods.md.\n\n\b\nExample:\n"
    "  valuechain priorities\n"
    '  valuechain priorities --action connect --district "Na Rì" --top 20\n'
    "  valuechain priorities --format csv > priorities.csv": (
        "Việc cần làm trước: kết nối ai, thu hút nhà máy nào, giữ vững doanh nghiệp nào.\n\n"
        "connect (kết nối): phần sản phẩm mỗi cơ sở sản xuất đang bán ra ngoài tỉnh,\n"
        "lớn trước, kèm doanh nghiệp gần nhất trong tỉnh có dùng sản phẩm đó (đã là\n"
        "bên mua hoặc bên mua mới) và giá trị đang ra ngoài tỉnh. attract (thu hút đầu\n"
        "tư): các khâu chế biến còn thiếu, xếp theo giá trị nguyên liệu đang ra ngoài\n"
        "tỉnh. protect (giữ vững): doanh nghiệp mà nếu ngừng hoạt động, tỉnh mất từ 5 %\n"
        "sản lượng trở lên. Xem docs/methods.md.\n\n\b\nVí dụ:\n"
        "  valuechain priorities\n"
        '  valuechain priorities --action connect --district "Na Rì" --top 20\n'
        "  valuechain priorities --format csv > uu_tien.csv"
    ),
    "Only this list (repeatable; default: all three).": (
        "Chỉ danh sách này (dùng được nhiều lần; mặc định: cả ba)."
    ),
    "Rows per list (0 = all).": "Số dòng mỗi danh sách (0 = tất cả).",
    # --- critical, whatif -------------------------------------------------------------------------
    "Rank enterprises by how much of the region's output is lost if they stop.\n\n"
    "The loss follows local links: buyers lose what the enterprise supplied\n"
    "(all of their output when it was an input their products are made from),\n"
    "suppliers lose what it bought, and so on until nothing changes; nobody is\n"
    "replaced within the year. risk = share of the region's output lost;\n"
    "affected = other enterprises keeping under 99 % of theirs; sole_buyer_of =\n"
    "producers whose only local buyer it is. See docs/methods.md.\n\n\b\nExample:\n"
    "  valuechain critical --limit 10\n"
    "  valuechain critical my_province/ --format csv > critical.csv": (
        "Xếp hạng doanh nghiệp theo phần sản lượng của tỉnh bị mất nếu chúng ngừng\n"
        "hoạt động.\n\n"
        "Thiệt hại lan theo liên kết trong tỉnh: bên mua mất phần doanh nghiệp đó cung\n"
        "cấp (mất toàn bộ sản lượng khi đó là nguyên liệu làm ra sản phẩm của họ), bên\n"
        "bán mất phần doanh nghiệp đó mua, và cứ thế cho đến khi không còn thay đổi;\n"
        "trong năm không ai được thay thế. risk = tỷ lệ sản lượng của tỉnh bị mất;\n"
        "affected = số doanh nghiệp khác còn dưới 99 % sản lượng; sole_buyer_of = các\n"
        "cơ sở sản xuất chỉ có doanh nghiệp này là bên mua trong tỉnh. Xem\n"
        "docs/methods.md.\n\n\b\nVí dụ:\n"
        "  valuechain critical --limit 10\n"
        "  valuechain critical tinh_cua_toi/ --format csv > then_chot.csv"
    ),
    "Above 50,000 enterprises, the most to test: those with the largest bound on "
    "their loss, until the bounds show that no other can enter the top 100.": (
        "Trên 50.000 doanh nghiệp thì thử nhiều nhất chừng này doanh nghiệp: những doanh "
        "nghiệp có cận trên thiệt hại lớn nhất, cho đến khi cận trên cho thấy không doanh "
        "nghiệp nào khác lọt vào 100 doanh nghiệp đứng đầu."
    ),
    "Before and after a scenario: an enterprise closes, or a new plant opens.\n\n"
    "--remove ID takes the enterprise and its links away: who loses their only\n"
    "local buyer, which products and chains weaken, and how much output every\n"
    "enterprise it hits keeps. --add-processor Q places a plant making Q and\n"
    "redirects to it the outside sales of its inputs by producers within\n"
    "--max-km, nearest first, up to --capacity. See docs/methods.md.\n\n\b\nExample:\n"
    "  valuechain whatif --remove CB-TUYEN-CD\n"
    '  valuechain whatif --add-processor mdf --district "Chợ Mới" --capacity 20000\n'
    "  valuechain whatif --add-processor plywood --at 22.15,105.83 --format json\n"
    "  valuechain whatif --remove CB-TUYEN-CD --map graphs/whatif.html": (
        "Trước và sau một kịch bản: một doanh nghiệp đóng cửa, hoặc một nhà máy mới.\n\n"
        "--remove MÃ bỏ doanh nghiệp đó cùng các liên kết của nó: ai mất bên mua duy\n"
        "nhất trong tỉnh, sản phẩm và chuỗi nào yếu đi, mỗi doanh nghiệp bị ảnh hưởng\n"
        "còn giữ được bao nhiêu sản lượng. --add-processor Q đặt một nhà máy làm ra Q\n"
        "và chuyển về đó phần nguyên liệu mà các cơ sở sản xuất trong phạm vi --max-km\n"
        "đang bán ra ngoài tỉnh, gần trước xa sau, đến hết --capacity. Xem\n"
        "docs/methods.md.\n\n\b\nVí dụ:\n"
        "  valuechain whatif --remove CB-TUYEN-CD\n"
        '  valuechain whatif --add-processor mdf --district "Chợ Mới" --capacity 20000\n'
        "  valuechain whatif --add-processor plywood --at 22.15,105.83 --format json\n"
        "  valuechain whatif --remove CB-TUYEN-CD --map graphs/whatif.html"
    ),
    "Also draw the scenario on a map (HTML): what closes or opens, the links lost or "
    "redirected, the producers that lose or gain a local buyer.": (
        "Vẽ thêm kịch bản lên bản đồ (HTML): doanh nghiệp đóng cửa hoặc nhà máy mới, liên kết "
        "mất đi hoặc chuyển hướng, cơ sở sản xuất mất hoặc có thêm bên mua trong tỉnh."
    ),
    "An enterprise that closes (repeatable).": "Mã doanh nghiệp đóng cửa (dùng được nhiều lần).",
    "A new plant making this product (a code).": "Nhà máy mới làm ra sản phẩm này (mã sản phẩm).",
    "Where the new plant stands.": "Vị trí nhà máy mới (vĩ độ,kinh độ).",
    "Or: the new plant in this district (its centre).": (
        "Hoặc: nhà máy mới đặt ở huyện này (tại trung tâm huyện)."
    ),
    "What the plant buys, ';'-separated (default: its recipe).": (
        "Nguyên liệu nhà máy mua, cách nhau bởi ';' (mặc định: theo công thức sản phẩm)."
    ),
    "Volume it can take, in the unit of its inputs' links (default: unlimited).": (
        "Sản lượng nhà máy tiếp nhận được, theo đơn vị sản lượng của các liên kết nguyên liệu "
        "(mặc định: không giới hạn)."
    ),
    "How far it buys from.": "Khoảng cách mua nguyên liệu xa nhất (km).",
    # --- tools ------------------------------------------------------------------------------------
    "Write a synthetic dataset (for benchmarks and trying the tool at scale).\n\n"
    "Enterprises belong to the default catalog's chains and stages, degrees are\n"
    "heavy-tailed, about a third of links leave the region, and enterprises sit\n"
    "around district centres. With --years N: N survey years, in which links\n"
    "end, firms enter and new links form by distance, popularity and the\n"
    "buyers of a district's other sellers (docs/methods.md), for backtest.\n"
    "With --invoices: national invoice lines (heavy-tailed trading pairs, each\n"
    "mostly one product, a few unreadable lines of each kind), the region's\n"
    "registry and the national table. The same seed gives the same files.\n\n\b\nExample:\n"
    "  valuechain generate --enterprises 100000 -o /tmp/vn100k\n"
    "  valuechain generate --enterprises 1000000 --links-per-enterprise 5 --seed 7 -o big/\n"
    "  valuechain generate --enterprises 10000 --years 3 -o /tmp/years\n"
    "  valuechain generate --enterprises 20000 --tail 1.1 -o /tmp/heavy\n"
    "  valuechain generate --invoices 10000000 -o /tmp/invoices": (
        "Tạo một bộ dữ liệu giả lập (để đo tốc độ và thử công cụ với dữ liệu lớn).\n\n"
        "Doanh nghiệp thuộc các chuỗi và khâu của danh mục mặc định, số liên kết phân\n"
        "bố đuôi dài, khoảng một phần ba liên kết đi ra ngoài tỉnh, doanh nghiệp nằm\n"
        "quanh trung tâm các huyện. Với --years N: N năm khảo sát, mỗi năm có liên kết\n"
        "chấm dứt, doanh nghiệp mới vào và liên kết mới hình thành theo khoảng cách, độ\n"
        "phổ biến và các bên mua của những bên bán khác cùng huyện (docs/methods.md),\n"
        "để chạy backtest. Với --invoices: các dòng hoá đơn toàn quốc (cặp mua bán phân\n"
        "bố đuôi dài, mỗi cặp chủ yếu một sản phẩm, vài dòng không đọc được mỗi loại),\n"
        "danh sách doanh nghiệp của vùng và bảng toàn quốc. Cùng một seed cho cùng các\n"
        "tệp.\n\n\b\nVí dụ:\n"
        "  valuechain generate --enterprises 100000 -o /tmp/vn100k\n"
        "  valuechain generate --enterprises 1000000 --links-per-enterprise 5 --seed 7 -o lon/\n"
        "  valuechain generate --enterprises 10000 --years 3 -o /tmp/nhieu_nam\n"
        "  valuechain generate --enterprises 20000 --tail 1.1 -o /tmp/duoi_nang\n"
        "  valuechain generate --invoices 10000000 -o /tmp/hoa_don"
    ),
    "Survey years (the last is 2024): links end, firms enter and new links form each year.": (
        "Số năm khảo sát (năm cuối là 2024): mỗi năm có liên kết chấm dứt, doanh nghiệp mới "
        "vào và liên kết mới hình thành."
    ),
    "How many enterprises.": "Số doanh nghiệp.",
    "Write this many national invoice lines instead (Parquet parts, a registry and a "
    "national table), for `valuechain invoices`.": (
        "Thay vào đó ghi chừng này dòng hoá đơn toàn quốc (các phần Parquet, danh sách\n"
        "doanh nghiệp và bảng toàn quốc), cho lệnh `valuechain invoices`."
    ),
    "Average links per enterprise.": "Số liên kết trung bình của một doanh nghiệp.",
    "Pareto shape of how much each enterprise trades: smaller gives a heavier "
    "tail (a few enterprises with very many links).": "Tham số hình dạng Pareto của "
    "mức giao dịch của mỗi doanh nghiệp: càng nhỏ thì đuôi càng nặng (vài doanh nghiệp "
    "có rất nhiều liên kết).",
    "Random seed.": "Hạt giống ngẫu nhiên (seed).",
    "Folder to write enterprises.csv and links.csv (or the invoice lines) into.": (
        "Thư mục ghi enterprises.csv và links.csv (hoặc các dòng hoá đơn)."
    ),
    # --- invoices -------------------------------------------------------------------------
    "Turn national e-invoice lines into a dataset for one region, on Dask.\n\n"
    "LINES is a Parquet or CSV file, a folder of them (any partitioning) or a\n"
    "glob, with columns seller, buyer (tax codes), date, amount (đồng, before\n"
    "tax) and optionally product and quantity. The dataset has the registry as\n"
    "its enterprises and one link per seller, buyer, product and year with at\n"
    "least one side in the registry (value in million đồng). Lines without a\n"
    "seller or buyer, or with an unreadable date or amount, are counted by\n"
    "reason and left out, as are lines between two firms outside the region;\n"
    "the counts are printed and written to invoices_report.csv. No process\n"
    "holds all the lines: each worker reads, cleans and sums its part. Needs\n"
    "pip install 'valuechain[dask]'.\n\n\b\nExample:\n"
    "  valuechain invoices lines/ --registry registry.csv --national national.csv -o region/\n"
    "  valuechain invoices 'lines/*.parquet' --registry registry.csv -o region/ --workers 4\n"
    "  valuechain invoices lines/ --registry registry.csv -o region/ "
    "--scheduler tcp://10.0.0.5:8786": (
        "Chuyển các dòng hoá đơn điện tử toàn quốc thành bộ dữ liệu của một vùng, trên Dask.\n\n"
        "DÒNG_HOÁ_ĐƠN là một tệp Parquet hoặc CSV, một thư mục các tệp đó (chia phần\n"
        "thế nào cũng được) hoặc một mẫu glob, có các cột seller, buyer (mã số thuế),\n"
        "date, amount (đồng, trước thuế) và có thể có product, quantity. Bộ dữ liệu lấy\n"
        "danh sách doanh nghiệp làm bảng doanh nghiệp, mỗi bên bán, bên mua, sản phẩm\n"
        "và năm một liên kết khi ít nhất một bên có trong danh sách (giá trị tính bằng\n"
        "triệu đồng). Dòng không có bên bán hoặc bên mua, hoặc ngày, số tiền không đọc\n"
        "được, được đếm theo lý do và bỏ ra, cũng như dòng giữa hai doanh nghiệp ngoài\n"
        "vùng; số đếm được in ra và ghi vào invoices_report.csv. Không tiến trình nào\n"
        "giữ hết các dòng: mỗi tiến trình đọc, làm sạch và cộng phần của mình. Cần\n"
        "pip install 'valuechain[dask]'.\n\n\b\nVí dụ:\n"
        "  valuechain invoices dong/ --registry danh_sach.csv --national toan_quoc.csv -o vung/\n"
        "  valuechain invoices 'dong/*.parquet' --registry danh_sach.csv -o vung/ --workers 4\n"
        "  valuechain invoices dong/ --registry danh_sach.csv -o vung/ "
        "--scheduler tcp://10.0.0.5:8786"
    ),
    "The region's enterprises table (CSV or Excel) whose id is the tax code.": (
        "Bảng doanh nghiệp của vùng (CSV hoặc Excel), cột id là mã số thuế."
    ),
    "Every firm's province (id, province): outside parties become EXT:<province>.": (
        "Tỉnh của mọi doanh nghiệp (id, province): bên ngoài vùng thành EXT:<tỉnh>."
    ),
    "Folder to write the dataset into.": "Thư mục ghi bộ dữ liệu.",
    "An existing Dask cluster's scheduler (tcp://host:8786); else a local cluster.": (
        "Bộ điều phối của một cụm Dask có sẵn (tcp://máy:8786); nếu không, một cụm cục bộ."
    ),
    "Local cluster: processes.": "Cụm cục bộ: số tiến trình.",
    "Local cluster: memory of each process (e.g. 2GiB, 500MB).": (
        "Cụm cục bộ: bộ nhớ của mỗi tiến trình (ví dụ 2GiB, 500MB)."
    ),
    "Export the dataset and its analyses for Excel, QGIS or Gephi.\n\n"
    "xlsx: the data and one sheet per analysis (valuechain reads it back as a\n"
    "dataset). geojson: enterprises as points, local links as lines, with the\n"
    "analysis fields. gexf / graphml: the graph with every attribute.\n\n\b\nExample:\n"
    "  valuechain export --to xlsx -o graphs/bac_kan.xlsx\n"
    "  valuechain export my_province/ --to geojson -o graphs/links.geojson\n"
    "  valuechain export --to gexf -o graphs/bac_kan.gexf": (
        "Xuất bộ dữ liệu và các kết quả phân tích cho Excel, QGIS hoặc Gephi.\n\n"
        "xlsx: dữ liệu và mỗi phân tích một trang (valuechain đọc lại được như một bộ\n"
        "dữ liệu). geojson: doanh nghiệp là điểm, liên kết trong tỉnh là đường, kèm\n"
        "kết quả phân tích. gexf / graphml: mạng lưới với mọi thuộc tính.\n\n\b\nVí dụ:\n"
        "  valuechain export --to xlsx -o graphs/bac_kan.xlsx\n"
        "  valuechain export tinh_cua_toi/ --to geojson -o graphs/lien_ket.geojson\n"
        "  valuechain export --to gexf -o graphs/bac_kan.gexf"
    ),
    "xlsx for Excel, geojson for QGIS, gexf or graphml for Gephi.": (
        "xlsx cho Excel, geojson cho QGIS, gexf hoặc graphml cho Gephi."
    ),
    "File to write (default graphs/valuechain.<format>).": (
        "Tệp cần ghi (mặc định graphs/valuechain.<định dạng>)."
    ),
    "Write an empty workbook to fill in, that valuechain reads back as it is.\n\n"
    "Sheets for enterprises, links, clusters, the product catalog (named\n"
    "generically, to trim), the chains and what the data is about, with headers\n"
    "in the chosen language and their units, an instructions sheet, two example\n"
    "rows per table and a drop-down list of types. A workbook already there is\n"
    "never replaced without --force: it may hold a district's filled-in data.\n\n\b\nExample:\n"
    "  valuechain template\n"
    "  valuechain --lang en template -o graphs/template_cho_don.xlsx": (
        "Tạo một tệp Excel trống để điền, valuechain đọc lại được nguyên như vậy.\n\n"
        "Các trang doanh nghiệp, liên kết, khu/cụm công nghiệp, danh mục sản phẩm (tên\n"
        "chung, để bớt đi những dòng không dùng), chuỗi giá trị và thông tin chung, tiêu\n"
        "đề cột theo ngôn ngữ đã chọn kèm đơn vị, một trang hướng dẫn, hai dòng ví dụ\n"
        "cho mỗi bảng và danh sách chọn loại hình. Tệp đã có không bao giờ bị ghi đè nếu\n"
        "không có --force: có thể đó là dữ liệu huyện đã nhập.\n\n\b\nVí dụ:\n"
        "  valuechain template\n"
        "  valuechain template -o graphs/mau_cho_don.xlsx"
    ),
    "Replace a workbook that is already there.": "Ghi đè tệp Excel đã có.",
    "Workbook to write (default: graphs/mau_du_lieu.xlsx, or graphs/template.xlsx with "
    "--lang en).": (
        "Tệp Excel cần ghi (mặc định: graphs/mau_du_lieu.xlsx, hoặc graphs/template.xlsx "
        "với --lang en)."
    ),
}

# Click's own words (usage line, section titles, usage errors), keyed by the
# message id click passes to gettext.
CLICK_VI: dict[str, str] = {
    "Usage:": "Cách dùng:",
    "Options": "Tuỳ chọn",
    "Commands": "Lệnh",
    "Positional arguments": "Đối số",
    "default: {default}": "mặc định: {default}",
    "env var: {var}": "biến môi trường: {var}",
    "Show this message and exit.": "Hiện hướng dẫn này rồi thoát.",
    "Show the version and exit.": "Hiện phiên bản rồi thoát.",
    "%(prog)s, version %(version)s": "%(prog)s, phiên bản %(version)s",
    "Aborted!": "Đã dừng!",
    "Error: {message}": "Lỗi: {message}",
    "Try '{command} {option}' for help.": "Xem hướng dẫn: '{command} {option}'.",
    "Missing command.": "Thiếu lệnh.",
    "No such command {name!r}.": "Không có lệnh {name!r}.",
    "No such option {name!r}.": "Không có tuỳ chọn {name!r}.",
    "Did you mean {possibility}?": "Có phải ý bạn là {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Có phải ý bạn là một trong: {possibilities}?)",
    "Got unexpected extra argument ({args})": "Thừa đối số ({args})",
    "Got unexpected extra arguments ({args})": "Thừa các đối số ({args})",
    "Missing argument": "Thiếu đối số",
    "Missing option": "Thiếu tuỳ chọn",
    "Missing parameter": "Thiếu tham số",
    "Missing {param_type}": "Thiếu {param_type}",
    "Missing parameter: {param_name}": "Thiếu tham số: {param_name}",
    "Invalid value for {param_hint}: {message}": "Giá trị không hợp lệ cho {param_hint}: {message}",
    "Invalid value: {message}": "Giá trị không hợp lệ: {message}",
    "Option {name!r} requires an argument.": "Tuỳ chọn {name!r} cần một giá trị.",
    "Option {name!r} requires {nargs} arguments.": "Tuỳ chọn {name!r} cần {nargs} giá trị.",
    "Option {name!r} does not take a value.": "Tuỳ chọn {name!r} không nhận giá trị.",
    "Argument {name!r} takes {nargs} values.": "Đối số {name!r} nhận {nargs} giá trị.",
    "{value!r} is not {choice}.": "{value!r} không phải {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} không thuộc các giá trị {choices}.",
    "{value!r} is not a valid {number_type}.": "{value!r} không phải {number_type} hợp lệ.",
    "{value} is not in the range {range}.": "{value} nằm ngoài khoảng {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "{value!r} không phải giá trị đúng/sai hợp lệ. Các giá trị nhận được: {states}"
    ),
    "{name} {filename!r} does not exist.": "{name} {filename!r} không tồn tại.",
    "{name} {filename!r} is a file.": "{name} {filename!r} là một tệp.",
    "{name} {filename!r} is a directory.": "{name} {filename!r} là một thư mục.",
    "{name} {filename!r} is not readable.": "{name} {filename!r} không đọc được.",
    "{name} {filename!r} is not writable.": "{name} {filename!r} không ghi được.",
    "file": "Tệp",
    "directory": "Thư mục",
    "path": "Đường dẫn",
    "Could not open file {filename!r}: {message}": "Không mở được tệp {filename!r}: {message}",
    # Not click's: the finite-number check of valuechain's own option type.
    "{value!r} is not a finite number.": "{value!r} không phải một số hữu hạn.",
}

# How the help names the value an option takes (click derives the unnamed ones
# from the type: INTEGER, FLOAT, TEXT, FILE…).
METAVAR_VI: dict[str, str] = {
    "[OPTIONS]": "[TUỲ_CHỌN]",
    "COMMAND [ARGS]...": "LỆNH [ĐỐI_SỐ]...",
    "DATASET": "DỮ_LIỆU",
    "BEFORE": "TRƯỚC",
    "AFTER": "SAU",
    "YEAR|all": "NĂM|all",
    "YEAR": "NĂM",
    "TYPE": "LOẠI_HÌNH",
    "NAME": "TÊN",
    "CHAIN": "CHUỖI",
    "ID": "MÃ",
    "PRODUCT": "MÃ_SP",
    "LAT,LON": "VĨ_ĐỘ,KINH_ĐỘ",
    "CODES": "CÁC_MÃ",
    "NUMBER": "SỐ",
    "INTEGER": "SỐ",
    "INTEGER RANGE": "SỐ",
    "FLOAT": "SỐ",
    "FLOAT RANGE": "SỐ",
    "TEXT": "CHỮ",
    "FILE": "TỆP",
    "FILE.geojson": "TỆP.geojson",
    "LINES": "DÒNG_HOÁ_ĐƠN",
    "ADDRESS": "ĐỊA_CHỈ",
    "PATH": "ĐƯỜNG_DẪN",
    "DIRECTORY": "THƯ_MỤC",
}
