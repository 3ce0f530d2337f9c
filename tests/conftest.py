"""Shared fixtures: small datasets written in any dress a planner's files come in."""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

import matplotlib
import pytest
from hypothesis import settings

matplotlib.use("Agg")

# Property tests draw fresh examples on a developer's machine; in CI they draw
# the same ones every run (a fixed seed), so a red run is reproducible.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI", "").lower() == "true":
    settings.load_profile("ci")

FIXTURES = Path(__file__).parent / "fixtures"
SPEC5 = FIXTURES / "spec5"


def write_dataset(
    folder: Path,
    *,
    enterprises: str,
    links: str,
    products: str | None = None,
    clusters: str | None = None,
    encoding: str = "utf-8",
) -> Path:
    """Write the given CSV texts as a dataset folder and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    tables = {
        "enterprises": enterprises,
        "links": links,
        "products": products,
        "clusters": clusters,
    }
    for name, text in tables.items():
        if text is not None:
            (folder / f"{name}.csv").write_bytes(encode(text, encoding))
    return folder


def encode(text: str, encoding: str) -> bytes:
    """Bytes of `text` in `encoding`; `cp1258` spells tones as combining marks, as
    Windows-1258 does for letters it has no precomposed form of."""
    if encoding != "cp1258":
        return text.encode(encoding)
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tones = "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
            out += (base + tones).encode("cp1258")
    return bytes(out)


@pytest.fixture
def spec5() -> Path:
    return SPEC5


@pytest.fixture
def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch) -> None:
    """No test reads or fills the user's real cache of validated datasets."""
    monkeypatch.setenv("VALUECHAIN_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
