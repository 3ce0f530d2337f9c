"""What each input table must and may hold, and header aliases.

Headers are matched by `_text.fold`: no case, no diacritics, spaces as `_`.
"""

from __future__ import annotations

from valuechain.text import fold

__all__ = ["TABLES", "REQUIRED", "NUMERIC", "NON_NEGATIVE", "ALIASES", "TYPE_ALIASES", "TYPES"]

TABLES = {
    "enterprises": "enterprises.csv",
    "links": "links.csv",
    "products": "products.csv",
    "clusters": "clusters.csv",
}

REQUIRED = {
    "enterprises": ["id", "name", "type"],
    "links": ["source", "target"],
    "products": ["code", "name", "chain", "stage"],
    "clusters": ["id", "name", "area_ha"],
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
    ],
    "links": ["source", "target", "product", "volume", "value", "year"],
    "products": ["code", "name", "chain", "stage", "made_from", "unit"],
    "clusters": ["id", "name", "area_ha", "district", "lat", "lon"],
}

NUMERIC = {
    "enterprises": ["lat", "lon", "capacity", "output_value", "employees", "land_ha"],
    "links": ["volume", "value"],
    "products": [],
    "clusters": ["area_ha", "lat", "lon"],
}

NON_NEGATIVE = {"capacity", "output_value", "employees", "land_ha", "volume", "value", "area_ha"}

_ALIAS_WORDS = {
    "id": ["ma", "ma_dn", "ma_doanh_nghiep", "ma_so"],
    "name": ["ten", "ten_doanh_nghiep", "ten_san_pham", "ten_cum"],
    "type": ["loai", "loai_hinh"],
    "vsic": ["ma_nganh", "nganh_vsic", "ma_vsic"],
    "district": ["huyen", "quan_huyen", "huyen_thanh_pho", "don_vi_hanh_chinh"],
    "lat": ["latitude", "vi_do"],
    "lon": ["lng", "long", "longitude", "kinh_do"],
    "outputs": ["output", "dau_ra", "san_pham_ban_ra"],
    "inputs": ["input", "dau_vao", "nguyen_lieu_dau_vao"],
    "capacity": ["cong_suat"],
    "output_value": ["gia_tri_san_xuat"],
    "employees": ["lao_dong", "so_lao_dong"],
    "cluster": ["cum_cong_nghiep"],
    "land_ha": ["dien_tich_su_dung_ha"],
    "sector": ["nganh"],
    "source": ["from", "seller", "ben_ban"],
    "target": ["to", "buyer", "ben_mua"],
    "product": ["san_pham"],
    "volume": ["quantity", "khoi_luong", "san_luong"],
    "value": ["gia_tri"],
    "year": ["nam"],
    "code": ["ma_san_pham"],
    "chain": ["chuoi", "chuoi_gia_tri"],
    "stage": ["cong_doan"],
    "made_from": ["lam_tu"],
    "unit": ["don_vi", "don_vi_tinh"],
    "area_ha": ["dien_tich_ha", "area"],
}


def _aliases(table: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for column in KNOWN[table]:
        out[fold(column)] = column
        for word in _ALIAS_WORDS.get(column, []):
            out.setdefault(word, column)
    # `ma` means the id of an enterprise or cluster but the code of a product.
    if table == "products":
        out["ma"] = "code"
    return out


ALIASES = {table: _aliases(table) for table in KNOWN}

TYPES = ("farm", "forestry", "mine", "processor", "service")
PRODUCER_TYPES = ("farm", "forestry", "mine")

TYPE_ALIASES = {
    fold(word): canonical
    for canonical, words in {
        "farm": ["farm", "nông nghiệp", "trang trại", "hợp tác xã nông nghiệp", "agriculture"],
        "forestry": ["forestry", "lâm nghiệp", "rừng", "forest"],
        "mine": ["mine", "khai khoáng", "khai thác", "mỏ", "mining"],
        "processor": ["processor", "chế biến", "nhà máy", "sản xuất", "manufacturing"],
        "service": ["service", "dịch vụ", "thương mại", "logistics", "trade"],
    }.items()
    for word in words
}
