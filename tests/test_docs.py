"""The README's links into docs/ lead somewhere, and nothing points at a file the repo lacks."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\]\(([^)#]+)(?:#[^)]*)?\)")


def test_every_relative_link_in_the_readme_and_docs_exists():
    broken = []
    for doc in [ROOT / "README.md", ROOT / "SECURITY.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in LINK.findall(doc.read_text()):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (doc.parent / target).exists():
                broken.append(f"{doc.name} → {target}")
    assert broken == []


def test_the_docs_name_no_design_file_outside_the_repository():
    for doc in [ROOT / "README.md", ROOT / "SECURITY.md", *(ROOT / "docs").glob("*.md")]:
        assert "DESIGN.md" not in doc.read_text(), doc.name
