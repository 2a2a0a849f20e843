"""Read catalog files into documents: YAML (multi-document) or JSON, a .zip of a tree, or files on
disk, following Backstage ``Location`` targets. Every read is bounded (files, bytes, documents,
YAML alias expansion) and no URL is ever fetched: a URL target is reported and skipped.
"""

from __future__ import annotations

import fnmatch
import io
import json
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.utils.translation import gettext as _

from products.interchange.report import ImportReport, ImportTooLarge

SUFFIXES = (".yaml", ".yml", ".json")


def limit(name: str) -> int:
    """The import's bounds, overridable in settings (``CATALOG_IMPORT_MAX_FILES``…)."""
    defaults = {
        "MAX_FILES": 500,  # files in one archive or one run
        "MAX_BYTES": 20 * 1024 * 1024,  # uncompressed bytes read in one import
        "MAX_DOCUMENTS": 20_000,  # YAML/JSON documents in one import
        "MAX_NODES": 2_000_000,  # YAML nodes after expanding aliases (YAML bombs)
        "MAX_ALIASES": 1_000,  # alias uses in one file
    }
    return getattr(settings, f"CATALOG_IMPORT_{name}", defaults[name])


@dataclass
class Document:
    """One YAML or JSON document: the file it came from and its position there (1-based)."""

    file: str
    index: int
    data: Any

    @property
    def where(self) -> str:
        return f"{self.file}#{self.index}" if self.index > 1 else self.file


class _BadFile(Exception):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


def _expanded_size(node: yaml.Node, sizes: dict[int, int], busy: set[int]) -> int:
    """Nodes the document holds once aliases are expanded (memoised: linear in the file)."""
    key = id(node)
    if key in sizes:
        return sizes[key]
    if key in busy:
        raise _BadFile(
            _("An alias refers to itself (a recursive YAML anchor)."), node.start_mark.line + 1
        )
    busy.add(key)
    if isinstance(node, yaml.MappingNode):
        size = 1 + sum(
            _expanded_size(k, sizes, busy) + _expanded_size(v, sizes, busy) for k, v in node.value
        )
    elif isinstance(node, yaml.SequenceNode):
        size = 1 + sum(_expanded_size(v, sizes, busy) for v in node.value)
    else:
        size = 1
    busy.discard(key)
    sizes[key] = size
    if size > limit("MAX_NODES"):
        raise _BadFile(
            _("The YAML expands to more than %(n)s nodes through aliases; refused as a YAML bomb.")
            % {"n": limit("MAX_NODES")},
            node.start_mark.line + 1,
        )
    return size


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader, counting alias uses so a file cannot multiply itself."""

    aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > limit("MAX_ALIASES"):
                mark = self.peek_event().start_mark
                raise _BadFile(
                    _("More than %(n)s YAML aliases; refused as a YAML bomb.")
                    % {"n": limit("MAX_ALIASES")},
                    mark.line + 1,
                )
        return super().compose_node(parent, index)


def _load_yaml(text: str) -> Iterator[Any]:
    loader = None
    try:
        loader = _BoundedLoader(text)  # refuses control characters at once (a ReaderError)
        while loader.check_node():
            node = loader.get_node()
            _expanded_size(node, {}, set())
            yield loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise _BadFile(_("Malformed YAML: %(why)s.") % {"why": exc.problem or exc}, line) from None
    except yaml.YAMLError as exc:
        raise _BadFile(_("Malformed YAML: %(why)s.") % {"why": exc}) from None
    except RecursionError:
        raise _BadFile(_("The YAML is nested too deeply.")) from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date like 2026-13-45
        raise _BadFile(_("A value cannot be read: %(why)s.") % {"why": exc}) from None
    finally:
        if loader is not None:
            loader.dispose()


def parse_text(name: str, raw: bytes) -> list[Any]:
    """The documents of one file (JSON when it is named .json or starts with ``{``)."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _BadFile(_("The file is not UTF-8 text.")) from None
    if "\x00" in text:
        raise _BadFile(_("The file contains NUL characters; it is not a text catalog file."))
    if name.endswith(".json") or text.lstrip().startswith("{"):
        try:
            return [json.loads(text)]
        except json.JSONDecodeError as exc:
            raise _BadFile(_("Malformed JSON: %(why)s.") % {"why": exc.msg}, exc.lineno) from None
        except RecursionError:
            raise _BadFile(_("The JSON is nested too deeply.")) from None
    return [doc for doc in _load_yaml(text) if doc is not None]


def _location_targets(doc: Any) -> list[str] | None:
    """The targets of a Backstage ``Location`` document, or None for any other document."""
    if not (isinstance(doc, dict) and doc.get("kind") == "Location"):
        return None
    if not str(doc.get("apiVersion", "")).startswith("backstage.io/"):
        return None
    spec = doc.get("spec") if isinstance(doc.get("spec"), dict) else {}
    targets = list(spec.get("targets") or []) if isinstance(spec.get("targets"), list) else []
    if isinstance(spec.get("target"), str):
        targets.insert(0, spec["target"])
    if spec.get("type") == "url":
        targets = [t if "://" in str(t) else f"url:{t}" for t in targets]
    return [str(t) for t in targets]


class _Reader:
    """Collects documents from a tree of files, following Locations, within the bounds."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.documents: list[Document] = []
        self.seen: set[str] = set()
        self.bytes = 0

    def add(self, name: str, raw: bytes) -> list[str]:
        """Parse one file; answer the Location targets it names."""
        self.bytes += len(raw)
        if self.bytes > limit("MAX_BYTES"):
            raise ImportTooLarge(
                _("The catalog files hold more than %(n)s MiB; import them in parts.")
                % {"n": limit("MAX_BYTES") // (1024 * 1024)}
            )
        try:
            docs = parse_text(name, raw)
        except _BadFile as exc:
            where = f"line {exc.line}" if exc.line else ""
            self.report.error(name, "", where, str(exc))
            return []
        targets: list[str] = []
        for i, doc in enumerate(docs, start=1):
            found = _location_targets(doc)
            if found is None:
                self.documents.append(Document(name, i, doc))
                continue
            for target in found:
                if "://" in target or target.startswith("url:"):
                    self.report.warn(
                        name,
                        "Location",
                        "spec.target",
                        _("%(t)s is a URL; Upstream never fetches URLs. Import that file itself.")
                        % {"t": target.removeprefix("url:")},
                    )
                    self.report.skipped["Location"] += 1
                else:
                    targets.append(target)
        if len(self.documents) > limit("MAX_DOCUMENTS"):
            raise ImportTooLarge(
                _("More than %(n)s documents in one import; import them in parts.")
                % {"n": limit("MAX_DOCUMENTS")}
            )
        return targets


def documents_from_zip(name: str, content: bytes, report: ImportReport) -> list[Document]:
    """Every YAML/JSON file of a .zip; Location targets must stay inside the archive."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, ValueError):
        report.error(name, "", "file", _("The .zip archive cannot be read."))
        return []
    if len(members) > limit("MAX_FILES"):
        report.error(
            name,
            "",
            "file",
            _("The archive holds %(n)s files; at most %(max)s are read.")
            % {"n": len(members), "max": limit("MAX_FILES")},
        )
        return []
    names: dict[str, zipfile.ZipInfo] = {}
    for member in members:
        path = posixpath.normpath(member.filename.replace("\\", "/"))
        if member.filename.startswith(("/", "\\")) or path.startswith("..") or ":" in path:
            report.error(
                name,
                member.filename,
                "path",
                _("This path escapes the archive's root; refused."),
            )
            continue
        names[path] = member
    if report.errors:
        return []
    reader = _Reader(report)
    for path in sorted(names):
        if not path.endswith(SUFFIXES):
            continue
        member = names[path]
        try:
            with archive.open(member) as handle:
                raw = handle.read(limit("MAX_BYTES") - reader.bytes + 1)
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, EOFError, OSError,
                zlib.error) as exc:  # fmt: skip
            report.error(
                f"{name}:{path}",
                "",
                "file",
                _("This entry cannot be read (%(why)s).") % {"why": exc},
            )
            continue
        for target in reader.add(f"{name}:{path}", raw):
            _check_zip_target(name, path, target, names, report)
    return reader.documents


def _check_zip_target(name, path, target, names, report) -> None:
    """A Location inside a zip names files of the same archive (all of them are read anyway)."""
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    if target.startswith("/") or resolved.startswith(".."):
        report.error(
            f"{name}:{path}",
            "Location",
            "spec.target",
            _("%(t)s escapes the archive's root; refused.") % {"t": target},
        )
    elif not any(fnmatch.fnmatch(n, resolved) for n in names):
        report.error(
            f"{name}:{path}",
            "Location",
            "spec.target",
            _("%(t)s is not in the archive.") % {"t": target},
        )


def documents_from_upload(name: str, content: bytes, report: ImportReport) -> list[Document]:
    """One uploaded file: a .zip of a tree, or one YAML/JSON file (multi-document allowed)."""
    if name.lower().endswith(".zip") or content[:4] == b"PK\x03\x04":
        return documents_from_zip(name, content, report)
    reader = _Reader(report)
    for target in reader.add(name, content):
        report.warn(
            name,
            "Location",
            "spec.target",
            _("%(t)s was not read: upload a .zip holding the files a Location names.")
            % {"t": target},
        )
    return reader.documents


def documents_from_paths(paths: list[str | Path], report: ImportReport) -> list[Document]:
    """Files (or folders, read recursively) on disk, following Location targets relative to the
    file that names them; each file is read once."""
    reader = _Reader(report)
    queue: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            queue.extend(sorted(p for p in path.rglob("*") if p.suffix in SUFFIXES))
        else:
            queue.append(path)
    while queue:
        path = queue.pop(0)
        key = str(path.resolve())
        if key in reader.seen:
            continue
        reader.seen.add(key)
        if len(reader.seen) > limit("MAX_FILES"):
            raise ImportTooLarge(
                _("More than %(n)s files; import them in parts.") % {"n": limit("MAX_FILES")}
            )
        if not path.is_file():
            report.error(str(path), "", "path", _("No such file."))
            continue
        for target in reader.add(str(path), path.read_bytes()):
            base = path.parent
            found = sorted(base.glob(target)) if "*" in target else [base / target]
            if not found or not all(p.is_file() for p in found):
                report.error(
                    str(path),
                    "Location",
                    "spec.target",
                    _("%(t)s: no such file next to this one.") % {"t": target},
                )
            queue.extend(found)
    return reader.documents
