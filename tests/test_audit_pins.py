"""`make audit`'s patch-level check: which pins are behind their minor line, and the fix."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("audit_pins", ROOT / "scripts" / "audit_pins.py")
audit_pins = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_pins)


def _versions(*raw: str) -> list[Version]:
    return [Version(v) for v in raw]


def test_a_pin_behind_its_minor_line_names_the_newest_patch():
    offered = _versions("5.2.21", "5.2.20", "5.2.19", "6.0.1", "5.2.22rc1")
    assert audit_pins.newest_patch("5.2.19", offered) == Version("5.2.21")


def test_a_newer_minor_or_a_pre_release_is_not_a_patch():
    assert audit_pins.newest_patch("3.18.3", _versions("3.19.0", "3.18.3", "3.18.4b1")) is None


def test_every_pin_of_both_files_is_read_extras_included():
    found = audit_pins.pins()
    assert found["Django"].count(".") == 2
    assert "psycopg" in found  # psycopg[binary]==...
    assert "pytest" in found  # from requirements-dev.txt
