"""District outlines from a planner's GIS (GeoJSON) under the geographic map."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from tests.conftest import write_dataset
from valuechain.cli import main
from valuechain.errors import LoadError
from valuechain.loading.boundaries import read_boundaries
from valuechain.loading.dataset import load
from valuechain.output.map.data import MapOptions, map_payload

SQUARE = [[105.5, 22.0], [105.9, 22.0], [105.9, 22.4], [105.5, 22.4], [105.5, 22.0]]


def geojson(tmp_path, features, name="b.geojson"):
    path = tmp_path / name
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def polygon(coords, **properties):
    return {
        "type": "Feature",
        "properties": properties,
        "geometry": {"type": "Polygon", "coordinates": [coords]},
    }


def test_outlines_are_read_and_named_from_common_properties(tmp_path):
    multi = {
        "type": "Feature",
        "properties": {"Ten_Huyen": "Chợ Đồn", "code": "063"},
        "geometry": {"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE]]},
    }
    point = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Point", "coordinates": [1, 2]},
    }
    path = geojson(tmp_path, [polygon(SQUARE, NAME_2="Ba Bể"), multi, point])
    outlines = read_boundaries(path)
    assert [o.name for o in outlines] == ["Ba Bể", "Chợ Đồn"]  # the point has no area
    assert len(outlines[1].rings) == 2 and outlines[0].rings[0][1] == (105.9, 22.0)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("not json", "boundaries_json"),
        ('{"type": "FeatureCollection", "features": []}', "boundaries_none"),
        # projected metres (VN-2000 / UTM), not longitude/latitude
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [[[580000, 2440000], [590000, 2440000], [590000, 2450000]]],
                }
            ),
            "boundaries_crs",
        ),
    ],
)
def test_a_file_that_is_not_outlines_is_refused_with_its_name(tmp_path, text, key):
    path = tmp_path / "bad.geojson"
    path.write_text(text, "utf-8")
    with pytest.raises(LoadError) as err:
        read_boundaries(path)
    assert err.value.key == key and "bad.geojson" in str(err.value)
    result = CliRunner().invoke(
        main, ["--lang", "en", "map", "--boundaries", str(path), "-o", str(tmp_path / "m.html")]
    )
    assert (
        result.exit_code == 3
        and result.stderr.startswith("Error: ")
        and "bad.geojson" in result.stderr
    )
    assert "Traceback" not in result.output


def test_outlines_share_the_enterprises_projection(tmp_path):
    # Two enterprises on two corners of the square: the ring's corners are drawn
    # exactly where those enterprises are.
    folder = write_dataset(
        tmp_path / "d",
        enterprises="id,name,type,outputs,inputs,lat,lon\n"
        "A,Farm,farm,maize,,22.0,105.5\nB,Mill,processor,feed,maize,22.4,105.9\n",
        links="source,target,product,value\nA,B,maize,10\n",
    )
    path = geojson(tmp_path, [polygon(SQUARE, name="Huyện X")])
    payload = map_payload(load(folder), MapOptions(boundaries=tuple(read_boundaries(path))))
    assert payload["layout"] == "geo"
    xy = {n["id"]: (n["x"], n["y"]) for n in payload["nodes"]}
    (outline,) = payload["boundaries"]
    ring = outline["rings"][0]
    corners = list(zip(ring[0::2], ring[1::2], strict=True))
    assert outline["name"] == "Huyện X"
    assert corners[0] == pytest.approx(xy["A"], abs=0.1) and corners[2] == pytest.approx(
        xy["B"], abs=0.1
    )
    # no outline without a geographic layout
    chain = map_payload(
        load(folder), MapOptions(layout="chain", boundaries=tuple(read_boundaries(path)))
    )
    assert chain["boundaries"] == []


def test_outlines_under_the_map_grouped_by_district(tmp_path):
    # Two districts; A's farms average (22.1, 105.6). A group node sits at its
    # district's centre moved by its type's offset — farm (-92, -46) — so an
    # outline vertex at A's centre lands 92 right and 46 below the A·farm node.
    folder = write_dataset(
        tmp_path / "d",
        enterprises="id,name,type,outputs,inputs,district,lat,lon\n"
        "F1,Farm 1,farm,maize,,A,22.0,105.5\nF2,Farm 2,farm,maize,,A,22.2,105.7\n"
        "M1,Mill,processor,feed,maize,B,22.4,105.9\n",
        links="source,target,product,value\nF1,M1,maize,10\nF2,M1,maize,5\n",
    )
    path = geojson(
        tmp_path, [polygon([[105.6, 22.1], [105.8, 22.1], [105.8, 22.3], [105.6, 22.1]])]
    )
    options = MapOptions(threshold=1, aggregate="district", boundaries=tuple(read_boundaries(path)))
    payload = map_payload(load(folder), options)
    farm = next(n for n in payload["nodes"] if n["id"] == "A·farm")
    ring = payload["boundaries"][0]["rings"][0]
    assert (ring[0], ring[1]) == pytest.approx((farm["x"] + 92, farm["y"] + 46), abs=0.1)
    chains = map_payload(load(folder), MapOptions(threshold=1, boundaries=options.boundaries))
    assert chains["boundaries"] == []  # groups by chain and stage have no geography


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"type": "Polygon", "coordinates": [[[1' + "0" * 5000 + ", 2]]]}", "digits"),
    ],
    ids=["nested_100000_deep", "number_of_5000_digits"],
)
def test_a_hostile_geojson_is_refused_in_bounded_time(tmp_path, text, says):
    import time

    path = tmp_path / "evil.geojson"
    path.write_text(text, encoding="utf-8")
    started = time.monotonic()
    result = CliRunner().invoke(
        main, ["--lang", "en", "map", "--layout", "geo", "--boundaries", str(path),
               "-o", str(tmp_path / "m.html")],
    )  # fmt: skip
    assert time.monotonic() - started < 30
    assert result.exit_code == 3, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(path) in lines[0] and says in lines[0], lines
    assert not (tmp_path / "m.html").exists()


@pytest.mark.parametrize(
    ("text", "en", "vi"),
    [
        ("[1, 2]", "(not a JSON object)", "(không phải một đối tượng JSON)"),
        ('{"type": "FeatureCollection", "features": 5}', "(no features)",
         "(không có đối tượng địa lý nào)"),
        ("[" * 100_000 + "]" * 100_000, "(nested too deeply to be GeoJSON)",
         "(lồng nhau quá sâu, không phải GeoJSON)"),
    ],
    ids=["a_list", "features_not_a_list", "nested_100000_deep"],
)  # fmt: skip
def test_why_a_geojson_is_refused_is_said_in_the_readers_language(tmp_path, text, en, vi):
    path = tmp_path / "outlines.geojson"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as refused:
        read_boundaries(path)
    assert refused.value.text("en") == f"{path}: cannot read the GeoJSON boundaries {en}"
    assert refused.value.text("vi") == f"{path}: không đọc được ranh giới GeoJSON {vi}"


def test_a_geojson_too_large_is_refused_once_in_so_many_words(tmp_path, monkeypatch):
    from valuechain.loading import boundaries

    monkeypatch.setattr(boundaries, "MAX_BYTES", 1 << 20)  # 1 MB
    path = tmp_path / "outlines.geojson"
    path.write_bytes(b" " * ((1 << 20) + 1))  # one byte more
    with pytest.raises(LoadError) as refused:
        read_boundaries(path)
    assert str(refused.value) == f"{path}: cannot read the GeoJSON boundaries (larger than 1 MB)"
    assert refused.value.text("vi") == (f"{path}: không đọc được ranh giới GeoJSON (lớn hơn 1 MB)")
