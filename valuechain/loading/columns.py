"""What each input table must and may hold, and header aliases.

Headers are matched by `_text.fold`: no case, no diacritics, spaces as `_`.
"""

from __future__ import annotations

from valuechain.text import fold

__all__ = [
    "TABLES",
    "ABOUT_KEYS",
    "REQUIRED",
    "NUMERIC",
    "NON_NEGATIVE",
    "ALIASES",
    "TYPE_ALIASES",
    "TYPES",
    "header_key",
    "table_of_name",
    "type_of_word",
]

TABLES = {
    "enterprises": "enterprises.csv",
    "links": "links.csv",
    "products": "products.csv",
    "clusters": "clusters.csv",
    "chains": "chains.csv",
    "about": "about.csv",
}

REQUIRED = {
    "enterprises": ["id", "name", "type"],
    "links": ["source", "target"],
    "products": ["code", "name", "chain", "stage"],
    "clusters": ["id", "name", "area_ha"],
    "chains": ["code", "name"],
    "about": ["key", "value"],
}

KNOWN = {
    "enterprises": [
        "id",
        "name",
        "type",
        "vsic",
        "district",
        "lat",
        "lon",
        "outputs",
        "inputs",
        "capacity",
        "output_value",
        "employees",
        "cluster",
        "land_ha",
        "sector",
        "since",
    ],
    "links": ["source", "target", "product", "volume", "value", "year"],
    "products": ["code", "name", "name_en", "chain", "stage", "made_from", "unit"],
    "clusters": ["id", "name", "area_ha", "district", "lat", "lon"],
    "chains": ["code", "name", "name_en"],
    "about": ["key", "value"],
}

NUMERIC = {
    "enterprises": ["lat", "lon", "capacity", "output_value", "employees", "land_ha"],
    "links": ["volume", "value"],
    "products": [],
    "clusters": ["area_ha", "lat", "lon"],
    "chains": [],
    "about": [],
}

NON_NEGATIVE = {"capacity", "output_value", "employees", "land_ha", "volume", "value", "area_ha"}

# Header words each table understands besides the column's own name: English
# synonyms and the Vietnamese headers district officers write (matched by
# `header_key`: no case, no diacritics, no units).
_COMMON = {
    "district": ["huyen", "quan", "thi_xa", "thanh_pho", "dia_ban", "quan_huyen",
                 "huyen_thanh_pho", "don_vi_hanh_chinh"],
    "lat": ["latitude", "vi_do"],
    "lon": ["lng", "long", "longitude", "kinh_do"],
}  # fmt: skip
_ALIAS_WORDS = {
    "enterprises": {
        **_COMMON,
        "id": ["ma", "ma_so", "ma_dn", "ma_doanh_nghiep", "ma_so_thue", "mst"],
        "name": ["ten", "ten_doanh_nghiep", "ten_co_so", "ten_don_vi"],
        "type": ["loai_hinh", "loai", "nganh", "linh_vuc", "loai_hinh_doanh_nghiep"],
        "vsic": ["ma_nganh", "nganh_vsic", "ma_vsic", "ma_nganh_vsic"],
        "outputs": ["output", "san_pham", "san_pham_chinh", "san_pham_dau_ra", "dau_ra",
                    "san_pham_ban_ra", "san_pham_ban", "hang_ban", "hang_ban_ra",
                    "san_pham_tieu_thu"],
        "inputs": ["input", "nguyen_lieu", "nguyen_lieu_dau_vao", "dau_vao", "nguyen_lieu_mua",
                   "vat_tu", "vat_tu_dau_vao", "hang_mua", "hang_mua_vao"],
        "capacity": ["cong_suat"],
        "output_value": ["gia_tri_san_xuat", "gia_tri_san_luong"],
        "employees": ["lao_dong", "so_lao_dong"],
        "cluster": ["cum_cong_nghiep", "khu_cong_nghiep", "cum", "khu"],
        "land_ha": ["dien_tich", "dien_tich_dat", "dien_tich_su_dung"],
        "since": ["first_year", "year_started", "founded", "established", "nam_bat_dau",
                  "nam_thanh_lap", "nam_hoat_dong", "hoat_dong_tu_nam"],
    },
    "links": {
        "source": ["from", "seller", "ben_ban", "nguoi_ban", "nha_cung_cap"],
        "target": ["to", "buyer", "ben_mua", "nguoi_mua", "khach_hang"],
        "product": ["san_pham", "mat_hang"],
        "volume": ["quantity", "san_luong", "khoi_luong"],
        "value": ["gia_tri"],
        "year": ["nam"],
    },
    "products": {
        "code": ["ma_san_pham", "ma"],
        "name": ["ten_san_pham", "ten"],
        "name_en": ["ten_tieng_anh"],
        "chain": ["chuoi", "chuoi_gia_tri"],
        "stage": ["cong_doan", "cap"],
        "made_from": ["lam_tu", "che_bien_tu"],
        "unit": ["don_vi", "don_vi_tinh"],
    },
    "clusters": {
        **_COMMON,
        "id": ["ma", "ma_cum"],
        "name": ["ten", "ten_cum", "ten_khu"],
        "area_ha": ["area", "dien_tich", "dien_tich_ha", "tong_dien_tich"],
    },
    "chains": {
        "code": ["ma", "ma_chuoi"],
        "name": ["ten", "ten_chuoi", "ten_chuoi_gia_tri"],
        "name_en": ["ten_tieng_anh"],
    },
    "about": {
        "key": ["muc", "thong_tin", "khoa"],
        "value": ["gia_tri", "noi_dung"],
    },
}  # fmt: skip

# Table names a folder's files or a workbook's sheets may have (matched by fold).
TABLE_NAMES = {
    "enterprises": ["enterprises", "doanh_nghiep", "co_so", "danh_sach_doanh_nghiep"],
    "links": ["links", "lien_ket", "giao_dich"],
    "products": ["products", "san_pham", "danh_muc_san_pham"],
    "clusters": ["clusters", "cum_cong_nghiep", "khu_cong_nghiep"],
    "chains": ["chains", "chuoi_gia_tri", "danh_muc_chuoi"],
    "about": ["about", "thong_tin_chung", "gioi_thieu"],
}

# The keys an `about` table understands (matched by fold), and the Vietnamese
# words a planner may write for them.
ABOUT_KEYS = {
    "region": ["tinh", "dia_phuong", "vung", "ten_tinh"],
    "region_en": [],
    "source": ["nguon", "nguon_du_lieu"],
    "source_en": [],
    "plan": ["ke_hoach", "nghi_quyet", "van_ban"],
    "plan_en": [],
    "cluster_target": ["muc_tieu_lap_day", "ty_le_lap_day"],
    "cluster_count": ["so_cum_muc_tieu", "muc_tieu_so_cum"],
}


def header_key(header: str) -> str:
    """A header as it is matched: folded (no case, no diacritics), without what
    is in parentheses or after a comma (units and notes).

    >>> header_key("Giá trị (triệu đồng)"), header_key("Sản lượng, tấn")
    ('gia_tri', 'san_luong')
    """
    import re

    bare = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", str(header)).split(",", 1)[0]
    return fold(bare)


def table_of_name(name: str) -> str | None:
    """The table a file stem or sheet name stands for, or None."""
    key = fold(name)
    for table, names in TABLE_NAMES.items():
        if key in names:
            return table
    return None


def _aliases(table: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for column in KNOWN[table]:
        out[fold(column)] = column
    for column, words in _ALIAS_WORDS[table].items():
        for word in words:
            out.setdefault(word, column)
    return out


ALIASES = {table: _aliases(table) for table in KNOWN}

TYPES = ("farm", "forestry", "mine", "processor", "service")
PRODUCER_TYPES = ("farm", "forestry", "mine")

TYPE_WORDS = {
    "farm": ["farm", "nông nghiệp", "trang trại", "hộ trồng", "hộ nuôi", "chăn nuôi",
             "trồng trọt", "thủy sản", "thuỷ sản", "nuôi trồng", "hợp tác xã nông nghiệp",
             "agriculture"],
    "forestry": ["forestry", "lâm nghiệp", "trồng rừng", "lâm trường", "rừng", "forest"],
    "mine": ["mine", "khai khoáng", "mỏ", "khai thác", "khoáng sản", "mining"],
    "processor": ["processor", "chế biến", "nhà máy", "xưởng", "sản xuất", "cơ khí",
                  "manufacturing"],
    "service": ["service", "dịch vụ", "thương mại", "thương lái", "đại lý", "cửa hàng", "kho",
                "vận tải", "bán buôn", "bán lẻ", "logistics", "trade"],
}  # fmt: skip
TYPE_ALIASES = {fold(word): canonical for canonical, words in TYPE_WORDS.items() for word in words}
# Words that name a legal form, not an activity: the type is then derived
# from the VSIC code, else from peers selling the same first output.
GENERIC_TYPES = {
    fold(w)
    for w in ["hợp tác xã", "htx", "công ty", "cty", "doanh nghiệp", "dn", "hộ kinh doanh",
              "hộ gia đình", "tổ hợp tác", "tht", "công ty tnhh", "công ty cổ phần", "ctcp",
              "doanh nghiệp tư nhân", "dntn", "xí nghiệp", "cơ sở"]
}  # fmt: skip


def accepted_type_words(lang: str) -> str:
    """The type words the loader understands, for a message: in Vietnamese each
    type's name and a few everyday words for it; in English the five types."""
    if lang == "en":
        return ", ".join(TYPE_WORDS)
    parts = []
    for words in TYPE_WORDS.values():
        vi = [w for w in words if not w.isascii() and w != "thuỷ sản"]
        parts.append(f"{vi[0]} ({', '.join(vi[1:7])})")
    return "; ".join(parts)


def type_of_word(cell: str) -> str | None:
    """The type a `type` cell names: the longest alias it contains as whole words
    (`Chế biến gỗ` → processor, `Lâm trường` → forestry); None for a generic or
    unknown word.

    >>> type_of_word("Chế biến gỗ"), type_of_word("HTX nông nghiệp"), type_of_word("HTX")
    ('processor', 'farm', None)
    """
    key = fold(cell)
    if not key or key in GENERIC_TYPES:
        return None
    if key in TYPE_ALIASES:
        return TYPE_ALIASES[key]
    words = f"_{key}_"
    best = max((alias for alias in TYPE_ALIASES if f"_{alias}_" in words), key=len, default=None)
    return TYPE_ALIASES[best] if best else None
