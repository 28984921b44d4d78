"""Where the packaged data folders live, in a checkout and in an installed wheel."""

from __future__ import annotations

from pathlib import Path

from mealplanner.config import constraints_dir_setting

_PACKAGE_DIR = Path(__file__).resolve().parent


def _data_root() -> Path:
    # A wheel carries the folders inside the package; a checkout has them beside it.
    bundled = _PACKAGE_DIR / "_data"
    if (bundled / "foods").is_dir():
        return bundled
    return _PACKAGE_DIR.parent


def foods_dir() -> Path:
    """The food and recipe database shipped with the package."""
    return _data_root() / "foods"


def constraints_dir() -> Path:
    """The diet rule sets: the folder named by MEALPLANNER_CONSTRAINTS_DIR, else the packaged
    one."""
    chosen = constraints_dir_setting()
    return Path(chosen) if chosen else _data_root() / "constraints"
