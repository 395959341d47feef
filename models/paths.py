"""Paths the analysts give, read from the project root wherever a notebook runs."""

from __future__ import annotations

from pathlib import Path


def project_path(path: str | Path, start: str | Path | None = None) -> Path:
    """``path`` as an absolute path; a relative one is read from the project root
    (the nearest folder holding ``pyproject.toml`` at or above ``start``, default the
    working directory), so ``demo/bundle`` works from ``notebooks/`` too."""
    given = Path(path).expanduser()
    if given.is_absolute():
        return given
    here = Path(start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file():
            return folder / given
    return here / given
