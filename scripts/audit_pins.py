"""`make audit`: is every pin the newest patch release of its minor line, and does an advisory
source know of a vulnerability in one?

Works without an advisory source: ``pip index versions`` (the package index the machine already
uses) says which pins are behind their minor line's newest patch, and names the version that
would bring each up to date. ``pip-audit`` then runs when an advisory source answers; when none
does, that is said plainly instead of reporting "no known vulnerabilities".

Exit status: 0 when every pin is current (and no advisory was found), 1 otherwise, 2 when the
index could not be asked. CI prints the report without failing on it (`.ci/run`).
"""

from __future__ import annotations

import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
FILES = ("requirements.txt", "requirements-dev.txt")
PIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([^\s;#]+)")


def pins(files=FILES) -> dict[str, str]:
    """``{name: version}`` for every ``name==version`` line of the requirement files."""
    found = {}
    for name in files:
        for line in (ROOT / name).read_text().splitlines():
            match = PIN.match(line)
            if match:
                found[match.group(1)] = match.group(3)
    return found


def available(name: str) -> list[Version] | None:
    """The versions the index offers for ``name`` (None when it could not be asked)."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "index", "versions", name, "--disable-pip-version-check"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    match = re.search(r"Available versions:\s*(.+)", result.stdout)
    if result.returncode != 0 or not match:
        return None
    versions = []
    for raw in match.group(1).split(","):
        try:
            versions.append(Version(raw.strip()))
        except InvalidVersion:
            continue
    return versions


def newest_patch(pinned: str, versions: list[Version]) -> Version | None:
    """The newest final release with the pin's major and minor, if newer than the pin."""
    current = Version(pinned)
    line = [
        v
        for v in versions
        if not v.is_prerelease and not v.is_devrelease and v.release[:2] == current.release[:2]
    ]
    best = max(line, default=None)
    return best if best is not None and best > current else None


def check_pins() -> tuple[list[str], list[str]]:
    """(lines naming each pin behind its minor line, names the index did not answer for)."""
    pinned = pins()
    with ThreadPoolExecutor(max_workers=4) as pool:
        offered = dict(zip(pinned, pool.map(available, pinned), strict=True))
    behind, unknown = [], []
    for name, version in sorted(pinned.items(), key=lambda item: item[0].lower()):
        versions = offered[name]
        if versions is None:
            unknown.append(name)
            continue
        newer = newest_patch(version, versions)
        if newer is not None:
            behind.append(
                f"{name}=={version} is behind: {name}=={newer} is its minor line's newest"
            )
    return behind, unknown


def advisories() -> tuple[bool, str]:
    """(an advisory source answered, pip-audit's report or why none answered)."""
    for source in ("osv", "pypi"):
        result = subprocess.run(
            [sys.executable, "-m", "pip_audit", "-s", source, "-r", "requirements.txt"]
            + ["--progress-spinner", "off"],
            capture_output=True,
            text=True,
            timeout=300,
            cwd=ROOT,
            check=False,
        )
        output = result.stdout + result.stderr
        unreachable = "could not be audited" in output or "ConnectionError" in output
        if "No module named pip_audit" in output:
            return False, "pip-audit is not installed (make audit installs it)."
        if not unreachable:
            return True, f"pip-audit ({source}):\n{output.strip()}"
    return False, (
        "No advisory source answered (OSV and PyPI's JSON API unreachable): known "
        "vulnerabilities were NOT checked; only the patch-level check above ran."
    )


def main() -> int:
    behind, unknown = check_pins()
    print(f"Pins checked against their minor line's newest patch: {len(pins())}")
    for line in behind:
        print(f"  BEHIND  {line}")
    for name in unknown:
        print(f"  UNKNOWN {name}: the index did not answer")
    if not behind and not unknown:
        print("  every pin is its minor line's newest patch release")
    answered, report = advisories()
    print(report)
    if unknown and len(unknown) == len(pins()):
        return 2
    vulnerable = answered and "No known vulnerabilities found" not in report
    return 1 if behind or vulnerable else 0


if __name__ == "__main__":
    sys.exit(main())
