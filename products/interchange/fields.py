"""Typed reads of document fields: each failure is an error naming the file, entity and field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from products.interchange.report import ImportReport

TYPE_NAMES = {str: "a string", dict: "an object", list: "a list", bool: "true or false"}

# Upstream's own fields that the standards have no key for: Backstage annotations and ODPS
# custom properties carry them, so an export read back reproduces the catalog.
ANNOTATION = "upstream/"
EXTENSIONS = ("status", "slug", "classification", "contains-pii", "sunset-on", "consumers")


@dataclass
class Reader:
    """Reads one document's fields, recording errors against its file and entity."""

    report: ImportReport
    file: str
    entity: str

    def get(
        self,
        obj: Any,
        path: str,
        typ: type | tuple = str,
        *,
        required: bool = False,
        choices: tuple[str, ...] | None = None,
    ) -> Any:
        """``obj[path]`` (dotted, within ``obj``) if it has type ``typ``; else an error, None."""
        value = obj
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        if value is None:
            if required:
                self.error(path, _("This field is required."))
            return None
        types = typ if isinstance(typ, tuple) else (typ,)
        if not isinstance(value, types) or (bool not in types and isinstance(value, bool)):
            wanted = _(" or ").join(str(TYPE_NAMES.get(t, t.__name__)) for t in types)
            self.error(
                path,
                _("Expected %(wanted)s, got %(got)s.")
                % {"wanted": wanted, "got": type(value).__name__},
            )
            return None
        if choices is not None and value not in choices:
            self.error(
                path,
                _("Unknown value %(v)r. Valid choices: %(c)s.")
                % {"v": value, "c": ", ".join(choices)},
            )
            return None
        return value

    def strings(self, obj: Any, path: str) -> list[str] | None:
        """A list of strings (tags), or None when absent."""
        items = self.get(obj, path, list)
        if items is None:
            return None
        for i, item in enumerate(items):
            if not isinstance(item, str):
                self.error(f"{path}[{i}]", _("Expected a string."))
                return None
        return items

    def objects(self, obj: Any, path: str) -> list[dict] | None:
        """A list of objects (ports, support channels), or None when absent."""
        items = self.get(obj, path, list)
        if items is None:
            return None
        for i, item in enumerate(items):
            if not isinstance(item, dict):
                self.error(f"{path}[{i}]", _("Expected an object."))
                return None
        return items

    def error(self, path: str, message: str) -> None:
        self.report.error(self.file, self.entity, path, message)

    def warn(self, path: str, message: str) -> None:
        self.report.warn(self.file, self.entity, path, message)


def entity_ref_name(ref: str) -> str:
    """``system:default/orders`` → ``orders`` (Backstage entity references)."""
    return ref.split(":", 1)[-1].rsplit("/", 1)[-1]
