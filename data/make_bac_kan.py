"""Regenerate the illustrative Bắc Kạn sample in data/bac_kan/.

    python data/make_bac_kan.py

Deterministic (fixed seed). The districts, centroids, chains, named plants and
clusters follow public facts cited in data/README.md; every enterprise's
capacity, position, trade partner, volume and value is illustrative. The story
the links tell is the one the 2021–2025 resolution describes: logs and ore
leave the province raw, plywood plants buy logs and veneer from other
provinces, citrus, persimmon and cinnamon growers have no local processor, and
deep-processing stages (MDF, iron, citrus and persimmon products, cinnamon oil)
are missing.
"""

from __future__ import annotations

import csv
import math
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent / "bac_kan"
SEED = 2021
YEAR = 2024

# name: (centroid lat, centroid lon), area centroids of the pre-2025 units.
# fmt: off
DISTRICTS = {
    "Thành phố Bắc Kạn": (22.133, 105.847),
    "Ba Bể": (22.400, 105.739),
    "Bạch Thông": (22.204, 105.846),
    "Chợ Đồn": (22.188, 105.574),
    "Chợ Mới": (21.983, 105.849),
    "Na Rì": (22.165, 106.091),
    "Ngân Sơn": (22.418, 106.003),
    "Pác Nặm": (22.595, 105.675),
}
# fmt: on

# Clusters: id, name, district, area_ha (Thanh Thịnh 50 ha and Thanh Bình phase
# II 80.3 ha are public; the others are illustrative).
# fmt: off
CLUSTERS = [
    ("KCN-TB", "Khu công nghiệp Thanh Bình (giai đoạn II)", "Chợ Mới", 80.3),
    ("CCN-TT", "Cụm công nghiệp Thanh Thịnh", "Chợ Mới", 50.0),
    ("CCN-NBL", "Cụm công nghiệp Nam Bằng Lũng", "Chợ Đồn", 60.0),
    ("CCN-VM", "Cụm công nghiệp Vằng Mười", "Na Rì", 45.0),
    ("CCN-CH", "Cụm công nghiệp Chu Hương", "Ba Bể", 40.0),
]
# fmt: on

# Unit price, million VND per catalog unit (illustrative orders of magnitude).
# fmt: off
PRICE = {
    "log": 1.2, "sawn_wood": 3.5, "veneer": 2.6, "wood_chips": 0.9, "plywood": 6.5,
    "paper": 14.0, "chopsticks": 25.0, "furniture": 3.0,
    "pbzn_ore": 2.5, "lead_conc": 22.0, "zinc_conc": 18.0, "lead": 48.0, "zinc": 55.0,
    "iron_ore": 1.1, "arrowroot": 2.2, "arrowroot_starch": 16.0, "mien_dong": 70.0,
    "orange": 12.0, "tangerine": 10.0, "persimmon": 22.0, "dried_persimmon": 150.0,
    "tea_leaf": 9.0, "dry_tea": 220.0, "packaged_tea": 400.0,
    "paddy": 11.0, "rice": 22.0, "rice_wine": 0.08,
    "herbs": 12.0, "dried_herbs": 60.0, "herbal_products": 300.0, "turmeric": 8.0,
    "curcumin": 1.5, "cinnamon_bark": 25.0,
    "limestone": 0.12, "sand_gravel": 0.25, "crushed_stone": 0.22, "clay": 0.1,
    "brick": 1.6, "concrete": 1.1, "cement": 1.3,
    "maize": 6.5, "animal_feed": 11.0, "fertiliser": 9.0, "seedlings": 1.5,
}
# fmt: on

# Where each product goes: share of sales to local buyers, outside buyers, and the
# share of its producers that found no buyer at all (isolated).
# fmt: off
FLOW = {
    "log": (0.25, ["EXT:Thái Nguyên", "EXT:Tuyên Quang", "EXT:Phú Thọ"], 0.10),
    "veneer": (0.45, ["EXT:Tuyên Quang", "EXT:Bắc Giang"], 0.0),
    "sawn_wood": (0.5, ["EXT:Hà Nội"], 0.0),
    "plywood": (0.05, ["EXT:Hải Phòng (xuất khẩu)", "EXT:Hà Nội"], 0.0),
    "wood_chips": (0.6, ["EXT:Phú Thọ"], 0.0),
    "paper": (0.0, ["EXT:Hà Nội"], 0.0),
    "chopsticks": (0.0, ["EXT:Hải Phòng (xuất khẩu)"], 0.0),
    "furniture": (0.4, ["EXT:Hà Nội"], 0.0),
    "pbzn_ore": (0.3, ["EXT:Thái Nguyên", "EXT:Cao Bằng"], 0.0),
    "lead_conc": (0.5, ["EXT:Thái Nguyên"], 0.0),
    "zinc_conc": (0.6, ["EXT:Thái Nguyên"], 0.0),
    "lead": (0.0, ["EXT:Hà Nội", "EXT:Hải Phòng (xuất khẩu)"], 0.0),
    "zinc": (0.0, ["EXT:Hải Phòng (xuất khẩu)"], 0.0),
    "iron_ore": (0.0, ["EXT:Thái Nguyên"], 0.34),
    "arrowroot": (0.8, ["EXT:Hà Nội"], 0.0),
    "arrowroot_starch": (0.7, ["EXT:Hà Nội"], 0.0),
    "mien_dong": (0.35, ["EXT:Hà Nội"], 0.0),
    "orange": (0.35, ["EXT:Hà Nội", "EXT:Thái Nguyên"], 0.25),
    "tangerine": (0.3, ["EXT:Hà Nội", "EXT:Thái Nguyên"], 0.2),
    "persimmon": (0.25, ["EXT:Hà Nội"], 0.3),
    "dried_persimmon": (0.5, ["EXT:Hà Nội"], 0.0),
    "tea_leaf": (0.85, ["EXT:Thái Nguyên"], 0.0),
    "dry_tea": (0.5, ["EXT:Hà Nội"], 0.0),
    "packaged_tea": (0.4, ["EXT:Hà Nội"], 0.0),
    "paddy": (0.85, ["EXT:Thái Nguyên"], 0.0),
    "rice": (0.5, ["EXT:Hà Nội"], 0.0),
    "rice_wine": (0.6, ["EXT:Hà Nội"], 0.0),
    "herbs": (0.6, ["EXT:Hà Nội"], 0.25),
    "dried_herbs": (0.6, ["EXT:Hà Nội"], 0.0),
    "herbal_products": (0.3, ["EXT:Hà Nội"], 0.0),
    "turmeric": (0.9, ["EXT:Hà Nội"], 0.0),
    "curcumin": (0.2, ["EXT:Hà Nội"], 0.0),
    "cinnamon_bark": (0.0, ["EXT:Lạng Sơn", "EXT:Hà Nội"], 0.25),
    "limestone": (0.9, ["EXT:Thái Nguyên"], 0.0),
    "sand_gravel": (0.9, ["EXT:Thái Nguyên"], 0.0),
    "clay": (1.0, [], 0.0),
    "crushed_stone": (0.9, ["EXT:Thái Nguyên"], 0.0),
    "brick": (0.9, ["EXT:Thái Nguyên"], 0.0),
    "concrete": (1.0, [], 0.0),
    "maize": (0.6, ["EXT:Thái Nguyên"], 0.0),
    "animal_feed": (0.8, ["EXT:Cao Bằng"], 0.0),
    "fertiliser": (1.0, [], 0.0),
    "seedlings": (0.9, ["EXT:Cao Bằng"], 0.0),
}
# fmt: on

# Inputs bought from outside although local producers list them: the missing
# local links. (buyer-product, outside seller, share of the buyer's capacity)
# fmt: off
IMPORTS = {
    "veneer": ("EXT:Tuyên Quang", 0.6),
    "log": ("EXT:Tuyên Quang", 0.5),
    "fertiliser": ("EXT:Thái Nguyên", 1.0),
    "cement": ("EXT:Thái Nguyên", 0.8),
    "lead_conc": ("EXT:Cao Bằng", 0.3),
    "maize": ("EXT:Thái Nguyên", 0.4),
}
# fmt: on

# Groups of enterprises: (count, type, name pattern, districts, outputs, inputs,
# capacity range, vsic, cluster). `{n}` numbers the members; `{d}` is the district.
# fmt: off
GROUPS = [
    # Timber: forestry sells logs; many sawmills and veneer peelers; plywood in Thanh Bình.
    (26, "forestry", "Tổ hợp tác trồng rừng {d} {n}",
     ["Chợ Đồn", "Chợ Mới", "Bạch Thông", "Na Rì", "Ngân Sơn", "Ba Bể", "Pác Nặm"],
     "log", "seedlings", (800, 6000), "0210", ""),
    (4, "forestry", "Công ty Lâm nghiệp {d}", ["Chợ Đồn", "Bạch Thông", "Na Rì", "Chợ Mới"],
     "log", "seedlings", (8000, 20000), "0210", ""),
    (14, "processor", "Xưởng bóc gỗ {d} {n}", ["Chợ Đồn", "Chợ Mới", "Bạch Thông", "Na Rì"],
     "veneer", "log", (1500, 6000), "1610", ""),
    (7, "processor", "Xưởng xẻ gỗ {d} {n}", ["Chợ Đồn", "Thành phố Bắc Kạn", "Ngân Sơn"],
     "sawn_wood;wood_chips", "log", (1000, 4000), "1610", ""),
    (4, "processor", "Cơ sở đồ gỗ {d} {n}", ["Thành phố Bắc Kạn", "Chợ Mới"],
     "furniture", "sawn_wood;plywood", (2000, 8000), "3100", ""),
    # Lead–zinc and iron in Chợ Đồn, Ngân Sơn, Na Rì.
    (7, "mine", "Mỏ chì kẽm {d} {n}", ["Chợ Đồn", "Chợ Đồn", "Ngân Sơn", "Na Rì"],
     "pbzn_ore", "", (5000, 40000), "0722", ""),
    (3, "mine", "Mỏ sắt {d} {n}", ["Chợ Đồn", "Ngân Sơn", "Bạch Thông"],
     "iron_ore", "", (10000, 60000), "0710", ""),
    (4, "mine", "Mỏ đá vôi {d} {n}", ["Chợ Mới", "Bạch Thông", "Na Rì", "Ba Bể"],
     "limestone", "", (20000, 80000), "0810", ""),
    (3, "mine", "Mỏ cát sỏi {d} {n}", ["Chợ Mới", "Bạch Thông", "Na Rì"],
     "sand_gravel", "", (10000, 40000), "0810", ""),
    (2, "mine", "Mỏ sét {d} {n}", ["Chợ Mới", "Ngân Sơn"], "clay", "", (5000, 15000), "0810", ""),
    # Arrowroot (dong riềng) in Na Rì and Ba Bể.
    (12, "farm", "HTX dong riềng {d} {n}", ["Na Rì", "Ba Bể", "Na Rì", "Ngân Sơn"],
     "arrowroot", "seedlings", (400, 3000), "0113", ""),
    (3, "processor", "Cơ sở tinh bột dong {d} {n}", ["Na Rì", "Ba Bể"],
     "arrowroot_starch", "arrowroot", (300, 1200), "1062", ""),
    (4, "processor", "Cơ sở miến dong {d} {n}", ["Ba Bể", "Na Rì", "Thành phố Bắc Kạn"],
     "mien_dong", "arrowroot_starch", (60, 300), "1074", ""),
    # Fruit: oranges, tangerines, seedless persimmon; no juice or drying plant.
    (10, "farm", "Trang trại cam {d} {n}", ["Bạch Thông", "Chợ Đồn", "Chợ Mới", "Na Rì"],
     "orange", "fertiliser;seedlings", (50, 400), "0122", ""),
    (6, "farm", "HTX quýt {d} {n}", ["Bạch Thông"], "tangerine", "fertiliser;seedlings",
     (100, 800), "0122", ""),
    (8, "farm", "Vườn hồng không hạt {d} {n}", ["Ba Bể", "Chợ Đồn", "Ngân Sơn"],
     "persimmon", "fertiliser", (30, 250), "0124", ""),
    # Shan tea, Bao Thai rice, herbs, turmeric, cinnamon.
    (9, "farm", "HTX chè Shan tuyết {d} {n}", ["Chợ Đồn", "Chợ Mới", "Ba Bể"],
     "tea_leaf", "fertiliser", (20, 150), "0127", ""),
    (2, "processor", "Cơ sở chế biến chè {d} {n}", ["Chợ Mới", "Ba Bể"],
     "dry_tea", "tea_leaf", (5, 40), "1079", ""),
    (6, "farm", "HTX lúa Bao Thai {d} {n}", ["Chợ Đồn"], "paddy", "fertiliser",
     (200, 1500), "0111", ""),
    (6, "farm", "HTX dược liệu {d} {n}", ["Na Rì", "Ba Bể", "Pác Nặm", "Chợ Đồn"],
     "herbs", "seedlings", (10, 120), "0128", ""),
    (4, "farm", "Hộ trồng nghệ {d} {n}", ["Chợ Mới", "Bạch Thông"], "turmeric", "",
     (20, 150), "0128", ""),
    (4, "farm", "Vùng quế Kim Lư {n}", ["Na Rì"], "cinnamon_bark", "", (30, 200), "0128", ""),
    (2, "processor", "Xưởng sấy dược liệu {d} {n}", ["Na Rì", "Thành phố Bắc Kạn"],
     "dried_herbs", "herbs", (20, 120), "2100", ""),
    # Construction materials.
    (3, "processor", "Nhà máy đá xây dựng {d} {n}", ["Chợ Mới", "Bạch Thông", "Na Rì"],
     "crushed_stone", "limestone", (20000, 60000), "2396", ""),
    (3, "processor", "Nhà máy gạch {d} {n}", ["Chợ Mới", "Bạch Thông", "Ngân Sơn"],
     "brick", "clay;cement", (5000, 20000), "2392", ""),
    (2, "processor", "Trạm bê tông {d} {n}", ["Thành phố Bắc Kạn", "Chợ Mới"],
     "concrete", "cement;sand_gravel;crushed_stone", (10000, 30000), "2395", ""),
    # Farm inputs.
    (5, "farm", "Hộ trồng ngô {d} {n}", ["Ngân Sơn", "Pác Nặm", "Ba Bể"], "maize", "fertiliser",
     (100, 600), "0112", ""),
    (4, "farm", "Vườn ươm cây giống {d} {n}", ["Bạch Thông", "Chợ Đồn", "Na Rì", "Chợ Mới"],
     "seedlings", "", (200, 2000), "0130", ""),
    # Services: traders, logistics, OCOP shops.
    (3, "service", "Đại lý phân bón {d} {n}", ["Thành phố Bắc Kạn", "Chợ Đồn", "Na Rì"],
     "fertiliser", "fertiliser", (500, 3000), "4669", ""),
    (5, "service", "Thương lái nông sản {d} {n}",
     ["Thành phố Bắc Kạn", "Bạch Thông", "Chợ Mới", "Ba Bể", "Na Rì"],
     "orange;tangerine;persimmon", "orange;tangerine;persimmon", (500, 3000), "4620", ""),
    (3, "service", "Cửa hàng OCOP {d} {n}", ["Thành phố Bắc Kạn", "Ba Bể", "Chợ Mới"],
     "mien_dong;packaged_tea;rice;herbal_products;rice_wine;dried_persimmon",
     "mien_dong;packaged_tea;rice;herbal_products;rice_wine;dried_persimmon",
     (20, 200), "4722", ""),
    (3, "service", "Vận tải và kho {d} {n}", ["Thành phố Bắc Kạn", "Chợ Mới", "Chợ Đồn"],
     "", "", (0, 0), "4933", ""),
]
# fmt: on

# Named enterprises from public sources; capacities marked (*) in data/README.md
# are public, the rest illustrative.
# fmt: off
NAMED = [
    # id, name, type, district, outputs, inputs, capacity, vsic, cluster, land_ha
    ("CB-GOVINA", "Công ty Govina (ván ép)", "processor", "Chợ Mới", "plywood",
     "veneer;log", 120000, "1621", "KCN-TB", 12.0),
    ("CB-LECHEN", "Lechenwood Việt Nam", "processor", "Chợ Mới", "plywood", "veneer;log",
     40000, "1621", "KCN-TB", 9.0),
    ("CB-HONGNGOC", "Công ty gỗ Hồng Ngọc", "processor", "Chợ Mới", "plywood", "veneer",
     20000, "1621", "KCN-TB", 6.5),
    ("CB-ANHBINH", "Gỗ ép Anh Bình", "processor", "Chợ Mới", "plywood", "veneer", 15000,
     "1621", "KCN-TB", 5.0),
    ("CB-GIAY-BT", "Nhà máy giấy Bình Trung", "processor", "Chợ Đồn", "paper",
     "wood_chips;log", 6000, "1701", "CCN-NBL", 4.0),
    ("CB-DUA-BT", "Nhà máy đũa xuất khẩu Bình Trung", "processor", "Chợ Đồn", "chopsticks",
     "log", 800, "1629", "CCN-NBL", 2.5),
    ("CB-TUYEN-CD", "Xưởng tuyển quặng chì kẽm Chợ Đồn", "processor", "Chợ Đồn",
     "lead_conc;zinc_conc", "pbzn_ore", 60000, "0722", "CCN-NBL", 8.0),
    ("CB-HOANGNAM", "Công ty Hoàng Nam Bắc Kạn (luyện chì)", "processor", "Chợ Đồn", "lead",
     "lead_conc", 5000, "2420", "CCN-NBL", 10.0),
    ("CB-KEM-CD", "Nhà máy điện phân kẽm Chợ Đồn", "processor", "Chợ Đồn", "zinc",
     "zinc_conc", 10000, "2420", "CCN-NBL", 9.0),
    ("CB-TAIHOAN", "HTX Tài Hoan (miến dong, OCOP 5 sao)", "processor", "Na Rì", "mien_dong",
     "arrowroot;arrowroot_starch", 400, "1074", "CCN-VM", 1.5),
    ("CB-HADIEP", "Chè Hà Diệp (OCOP 4 sao)", "processor", "Chợ Mới", "packaged_tea;dry_tea",
     "tea_leaf;dry_tea", 30, "1079", "CCN-TT", 0.8),
    ("CB-NGOCTHANG", "Chè Shan tuyết Ngọc Thắng (OCOP 4 sao)", "processor", "Chợ Đồn",
     "packaged_tea", "tea_leaf;dry_tea", 15, "1079", "", 0.0),
    ("CB-XAXAT-CD", "Nhà máy xay xát gạo Bao Thai Chợ Đồn", "processor", "Chợ Đồn", "rice",
     "paddy", 3000, "1061", "CCN-NBL", 1.2),
    ("CB-RUOU-BP", "Rượu men lá Bằng Phúc", "processor", "Chợ Đồn", "rice_wine", "rice",
     60000, "1101", "", 0.0),
    ("CB-BAOCHAU", "HTX Bảo Châu (cà gai leo, giảo cổ lam)", "farm", "Na Rì", "herbs",
     "seedlings", 80, "0128", "", 0.0),
    ("CB-DUOCLIEU", "Cơ sở trà dược liệu Bắc Kạn", "processor", "Thành phố Bắc Kạn",
     "herbal_products", "dried_herbs;herbs", 15, "2100", "CCN-TT", 0.6),
    ("CB-CURCUMIN", "Curcumin Bắc Hà (OCOP 4 sao)", "processor", "Thành phố Bắc Kạn",
     "curcumin", "turmeric", 2000, "2100", "CCN-TT", 0.7),
    ("CB-HONGSAY", "Cơ sở hồng sấy Ngân Sơn", "processor", "Ngân Sơn", "dried_persimmon",
     "persimmon", 10, "1030", "", 0.0),
    ("CB-THUCAN", "Nhà máy thức ăn chăn nuôi Thanh Bình", "processor", "Chợ Mới",
     "animal_feed", "maize", 15000, "1080", "KCN-TB", 3.0),
    ("DV-LOGS", "Bãi tập kết gỗ Chợ Mới", "service", "Chợ Mới", "log", "log", 20000, "4663",
     "KCN-TB", 2.0),
]
# fmt: on


def _position(rng: random.Random, district: str) -> tuple[float, float]:
    lat, lon = DISTRICTS[district]
    return round(lat + rng.uniform(-0.07, 0.07), 5), round(lon + rng.uniform(-0.07, 0.07), 5)


def make_enterprises(rng: random.Random) -> list[dict]:
    prefix = {"farm": "NN", "forestry": "LN", "mine": "KS", "processor": "CB", "service": "DV"}
    rows: list[dict] = []
    counters: dict[str, int] = {}
    for count, etype, pattern, districts, outputs, inputs, (lo, hi), vsic, cluster in GROUPS:
        for i in range(count):
            district = districts[i % len(districts)]
            counters[etype] = counters.get(etype, 0) + 1
            lat, lon = _position(rng, district)
            capacity = round(rng.uniform(lo, hi), -1) if hi else ""
            rows.append(
                {
                    "id": f"{prefix[etype]}{counters[etype]:03d}",
                    "name": pattern.format(d=district, n=i + 1),
                    "type": etype,
                    "vsic": vsic,
                    "district": district,
                    "lat": lat,
                    "lon": lon,
                    "outputs": outputs,
                    "inputs": inputs,
                    "capacity": capacity,
                    "employees": rng.randint(3, 60),
                    "cluster": cluster,
                    "land_ha": "",
                }
            )
    for eid, name, etype, district, outputs, inputs, capacity, vsic, cluster, land in NAMED:
        lat, lon = _position(rng, district)
        rows.append(
            {
                "id": eid,
                "name": name,
                "type": etype,
                "vsic": vsic,
                "district": district,
                "lat": lat,
                "lon": lon,
                "outputs": outputs,
                "inputs": inputs,
                "capacity": capacity,
                "employees": rng.randint(20, 500),
                "cluster": cluster,
                "land_ha": land or "",
            }
        )
    return rows


def _km(a: dict, b: dict) -> float:
    dlat = math.radians(b["lat"] - a["lat"])
    dlon = math.radians(b["lon"] - a["lon"]) * math.cos(math.radians((a["lat"] + b["lat"]) / 2))
    return 6371.0 * math.hypot(dlat, dlon)


def make_links(rng: random.Random, enterprises: list[dict]) -> list[dict]:
    buyers: dict[str, list[dict]] = {}
    for e in enterprises:
        for code in filter(None, e["inputs"].split(";")):
            buyers.setdefault(code, []).append(e)
    links: list[dict] = []

    def sell(seller: str, buyer: str, product: str, volume: float) -> None:
        volume = max(1.0, round(volume))
        value = round(volume * PRICE[product], 1)
        links.append(
            {
                "source": seller,
                "target": buyer,
                "product": product,
                "volume": volume,
                "value": value,
                "year": YEAR,
            }
        )

    for e in enterprises:
        capacity = float(e["capacity"] or 0)
        for product in filter(None, e["outputs"].split(";")):
            local_share, outside, isolated = FLOW[product]
            if capacity == 0 or rng.random() < isolated:
                continue
            local = [b for b in buyers.get(product, []) if b["id"] != e["id"]]
            # Buyers nearer the seller are likelier: rank by distance, draw from the near half.
            local.sort(key=lambda b: _km(e, b))
            sales = rng.choice([1, 2, 2, 3])
            chosen: set[str] = set()
            for _ in range(sales):
                goes_local = local and rng.random() < local_share
                if goes_local:
                    buyer = rng.choice(local[: max(2, len(local) // 2)])["id"]
                elif outside:
                    buyer = rng.choice(outside)
                else:
                    continue
                if buyer in chosen:
                    continue
                chosen.add(buyer)
                sell(e["id"], buyer, product, capacity * rng.uniform(0.15, 0.45))

    # Processors that import what local producers grow: the missing local links.
    for e in enterprises:
        if e["type"] not in ("processor", "service"):
            continue
        for product in filter(None, e["inputs"].split(";")):
            if product in IMPORTS and rng.random() < 0.8:
                seller, share = IMPORTS[product]
                sell(seller, e["id"], product, float(e["capacity"] or 100) * share * 0.5)
    return links


def write(path: Path, rows: list[dict], columns: list[str]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


# Processors placed in the district's cluster, with the land they occupy there
# (illustrative; no public occupancy figures were found).
CLUSTER_OF_DISTRICT = {
    "Chợ Mới": ["KCN-TB", "CCN-TT"],
    "Chợ Đồn": ["CCN-NBL"],
    "Na Rì": ["CCN-VM"],
    "Ba Bể": ["CCN-CH"],
}

# Two survey rounds: 2024 is what make_links draws; 2021 is derived from it.
EARLIER = 2021
CLOSED = ("CB-BOC-DL", "Xưởng bóc gỗ Đồng Lạc (đóng cửa 2023)", "Chợ Đồn")
OPENED = ("CB-PLY-TB2", "Nhà máy ván ép Thanh Bình 2 (mở 2023)", "Chợ Mới")


def place_in_clusters(rng: random.Random, enterprises: list[dict]) -> None:
    for e in enterprises:
        options = CLUSTER_OF_DISTRICT.get(e["district"], [])
        if e["type"] == "processor" and not e["cluster"] and options and rng.random() < 0.7:
            e["cluster"] = rng.choice(options)
            e["land_ha"] = round(rng.uniform(0.8, 4.5), 1)


def two_rounds(rng: random.Random, enterprises: list[dict], links: list[dict]) -> list[dict]:
    """Links of 2021 and 2024 that tell the resolution's story.

    Since 2021 some producers found local buyers (in 2021 the same sales went out
    of the province), a veneer workshop closed (2021 links only), and a new
    plywood plant started buying local logs (2024 links only).
    """
    by_id = {e["id"]: e for e in enterprises}
    for eid, name, district in (CLOSED, OPENED):
        lat, lon = _position(rng, district)
        plywood = eid == OPENED[0]
        by_id[eid] = {
            "id": eid,
            "name": name,
            "type": "processor",
            "vsic": "1621" if plywood else "1610",
            "district": district,
            "lat": lat,
            "lon": lon,
            # The closed workshop no longer buys or sells: an enterprise list of 2024
            # would still carry it, with a note, but not as a buyer of logs.
            "outputs": "plywood" if plywood else "",
            "inputs": "log" if plywood else "",
            "note": "bắt đầu hoạt động 2023" if plywood else "đóng cửa năm 2023",
            "capacity": 30000 if plywood else 4000,
            "employees": 120 if plywood else 25,
            "cluster": "KCN-TB" if plywood else "",
            "land_ha": 8.0 if plywood else "",
        }
        enterprises.append(by_id[eid])
    forests = [e["id"] for e in enterprises if e["type"] == "forestry"]
    late, early = [dict(link, year=YEAR) for link in links], []
    for seller in rng.sample(forests, 6):  # the new plant buys local logs in 2024
        volume = round(rng.uniform(800, 2500))
        late.append(
            {
                "source": seller,
                "target": OPENED[0],
                "product": "log",
                "volume": volume,
                "value": round(volume * PRICE["log"], 1),
                "year": YEAR,
            }
        )
    late.append(
        {
            "source": OPENED[0],
            "target": "EXT:Hải Phòng (xuất khẩu)",
            "product": "plywood",
            "volume": 18000,
            "value": 18000 * PRICE["plywood"],
            "year": YEAR,
        }
    )
    producers = {e["id"] for e in enterprises if e["type"] in ("farm", "forestry", "mine")}
    for link in late:
        if link["target"] == OPENED[0] or link["source"] == OPENED[0]:
            continue
        old = dict(link, year=EARLIER, volume=round(link["volume"] * rng.uniform(0.7, 1.0)))
        old["value"] = round(old["volume"] * PRICE[old["product"]], 1)
        local = not old["target"].startswith("EXT") and not old["source"].startswith("EXT")
        if local and old["source"] in producers and rng.random() < 0.35:
            old["target"] = "EXT:Thái Nguyên"  # in 2021 this sale left the province
        early.append(old)
    for seller in rng.sample(forests, 3):  # the closed workshop's suppliers in 2021
        volume = round(rng.uniform(500, 1500))
        early.append(
            {
                "source": seller,
                "target": CLOSED[0],
                "product": "log",
                "volume": volume,
                "value": round(volume * PRICE["log"], 1),
                "year": EARLIER,
            }
        )
    early.append(
        {
            "source": CLOSED[0],
            "target": "CB-GOVINA",
            "product": "veneer",
            "volume": 2000,
            "value": 2000 * PRICE["veneer"],
            "year": EARLIER,
        }
    )
    merged: dict[tuple, dict] = {}
    for link in early + late:  # the EXT redirection can make a pair twice: sum it
        key = (link["source"], link["target"], link["product"], link["year"])
        if key in merged:
            merged[key]["volume"] += link["volume"]
            merged[key]["value"] = round(merged[key]["value"] + link["value"], 1)
        else:
            merged[key] = dict(link)
    return list(merged.values())


def main() -> None:
    rng = random.Random(SEED)
    enterprises = make_enterprises(rng)
    links = make_links(rng, enterprises)
    later = random.Random(SEED + 1)  # draws after the 2024 links leave those unchanged
    place_in_clusters(later, enterprises)
    links = two_rounds(later, enterprises, links)
    OUT.mkdir(parents=True, exist_ok=True)
    for e in enterprises:
        e.setdefault("note", "")
    write(OUT / "enterprises.csv", enterprises, list(enterprises[0]))
    write(OUT / "links.csv", links, ["source", "target", "product", "volume", "value", "year"])
    clusters = [
        {
            "id": cid,
            "name": name,
            "district": district,
            "area_ha": area,
            "lat": DISTRICTS[district][0],
            "lon": DISTRICTS[district][1],
        }
        for cid, name, district, area in CLUSTERS
    ]
    write(OUT / "clusters.csv", clusters, ["id", "name", "area_ha", "district", "lat", "lon"])
    print(f"{len(enterprises)} enterprises, {len(links)} links -> {OUT}")


if __name__ == "__main__":
    main()
