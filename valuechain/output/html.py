"""What the HTML map and report share: atomic writes, safe embedding, the page's CSP."""

from __future__ import annotations

import functools
import glob
import html
import json
import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from valuechain.errors import OutputError, os_reason

__all__ = ["write_atomic", "json_for_script", "esc", "CSP", "page_template"]

# The page may run its own inline code and show inline images, and nothing else:
# no request leaves it, whatever a data value contains.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:"
)


@functools.cache
def page_template(package: str, name: str) -> Any:
    """The Jinja2 template `name` of `package`, with autoescaping: every value
    put in it is escaped for HTML unless it is marked safe (`markupsafe.Markup`),
    which only the page's own assets, the CSP and JSON made by
    `json_for_script` are."""
    from jinja2 import Environment

    text = resources.files(package).joinpath(name).read_text(encoding="utf-8")
    return Environment(autoescape=True, keep_trailing_newline=True).from_string(text)


def esc(value: object) -> str:
    """HTML-escape any value for text or attribute positions."""
    return html.escape("" if value is None else str(value), quote=True)


def json_for_script(payload: object) -> str:
    """JSON safe inside `<script type="application/json">`: no `</script>`, no `<!--`."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write `data` to `path` through a temporary file in the same folder and a rename,
    so a reader never sees half a file. Creates the folder. Raises OutputError."""
    return write_atomic_together({Path(path): data})[0]


def write_atomic_together(files: dict[Path, str | bytes]) -> list[Path]:
    """Write several files that belong together (a dataset's tables): every one
    is written in full to a temporary file first, and only then are they all
    renamed into place, so an interruption while writing leaves the old files,
    never a new one beside an old one; the temporary copies a killed run left of
    these files are removed. Raises OutputError naming the file."""
    temps: list[tuple[Path, Path]] = []
    path = next(iter(files), Path("."))
    try:
        try:
            for path, data in files.items():
                path.parent.mkdir(parents=True, exist_ok=True)
                # A killed run's temporary copies of this file: no one finishes them.
                for stale in path.parent.glob(f".{glob.escape(path.name)}.*.tmp"):
                    stale.unlink(missing_ok=True)
                fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
                temps.append((Path(name), path))
                with os.fdopen(fd, "wb") as handle:
                    handle.write(data.encode("utf-8") if isinstance(data, str) else data)
                os.chmod(name, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual mode
            for tmp, path in temps:
                os.replace(tmp, path)
        except BaseException:
            for tmp, _ in temps:
                tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise OutputError(key="cannot_write", path=path, reason=os_reason(exc)) from exc
    return list(files)
