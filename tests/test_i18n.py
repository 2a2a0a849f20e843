"""Every visible text is marked for translation, and the French catalogue is complete.

The template check reads each template with Django's own lexer, drops what is translated
(`{% translate %}`, `{% blocktranslate %}`), comments and variables, then reads what is left as
HTML: any text node, or `aria-label`/`placeholder`/`title`/`alt` value, with letters in it is a
string a French reader would see in English. The catalogue check runs `makemessages` on a copy of
the sources and fails on a message missing from `locale/fr/LC_MESSAGES/django.po`, untranslated or
fuzzy, or when the committed `.mo` is not the compiled `.po`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.base import Lexer, TokenType

from tests.conftest import require_or_skip

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
PO = LOCALE / "fr" / "LC_MESSAGES" / "django.po"
DJANGOJS_PO = LOCALE / "fr" / "LC_MESSAGES" / "djangojs.po"

# Names and symbols that read the same in every language.
ALLOWED_TEXT = {"Upstream", "API", "ODPS", "ODCS", "Backstage", "JSON", "YAML", "CSV", "iCalendar"}
# Templates that are not ours to translate (Swagger UI's own page).
SKIPPED_TEMPLATES = {"api/swagger_ui.html"}
VISIBLE_ATTRIBUTES = {"aria-label", "placeholder", "title", "alt", "aria-description"}
LETTERS = re.compile(r"[^\W\d_]{2,}")
# Put where a tag was, so "{% block %}Upstream{% endblock %} · Upstream" reads as two texts.
SEPARATOR = "<!---->"


def template_files() -> list[Path]:
    folders = [ROOT / "templates", *ROOT.glob("*/templates")]
    return sorted(
        path
        for folder in folders
        if ".venv" not in folder.parts
        for path in folder.rglob("*")
        if path.suffix in {".html", ".txt"}
    )


def untranslated_residue(source: str) -> str:
    """The template with translated parts, comments, tags and variables taken out."""
    kept, skipping = [], None
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            word = token.contents.split()[0] if token.contents.split() else ""
            if skipping and word == skipping:
                skipping = None
            elif word in {"blocktranslate", "blocktrans"} or word in {"comment", "verbatim"}:
                skipping = "end" + word
            if not skipping:
                so_far = "".join(kept)
                inside_a_tag = so_far.rfind("<") > so_far.rfind(">")
                kept.append(" " if inside_a_tag else SEPARATOR)
            continue
        if skipping or token.token_type == TokenType.COMMENT:
            continue
        if token.token_type == TokenType.VAR:
            kept.append("0")  # a value: neither text to translate nor a tag boundary
        elif token.token_type == TokenType.TEXT:
            kept.append(token.contents)
    return "".join(kept)


def is_visible_text(text: str) -> bool:
    text = " ".join(text.split()).strip(" ·—–:,.;()")
    if "://" in text and " " not in text:  # an example address
        return False
    return bool(LETTERS.search(text)) and text not in ALLOWED_TEXT


class VisibleText(HTMLParser):
    """Collects the texts and visible attribute values that still contain words."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "style"}:
            self.hidden_depth += 1
        for name, value in attrs:
            value = (value or "").replace(SEPARATOR, " ")
            if name in VISIBLE_ATTRIBUTES and is_visible_text(value):
                self.found.append(f'{name}="{value}"')

    def handle_endtag(self, tag):
        if tag in {"script", "style"}:
            self.hidden_depth = max(0, self.hidden_depth - 1)

    def handle_data(self, data):
        if not self.hidden_depth and is_visible_text(data):
            self.found.append(" ".join(data.split()))


def unmarked_strings(path: Path) -> list[str]:
    residue = untranslated_residue(path.read_text())
    if path.suffix == ".txt":
        lines = residue.replace(SEPARATOR, "\n").splitlines()
        return [line.strip() for line in lines if is_visible_text(line)]
    parser = VisibleText()
    parser.feed(residue)
    return parser.found


def test_every_visible_template_string_is_marked_for_translation():
    unmarked = {}
    for path in template_files():
        name = str(path.relative_to(ROOT))
        if any(name.endswith(skipped) for skipped in SKIPPED_TEMPLATES):
            continue
        found = unmarked_strings(path)
        if found:
            unmarked[name] = found
    report = "\n".join(f"{name}: {found}" for name, found in unmarked.items())
    assert unmarked == {}, f"text outside {{% translate %}} in templates:\n{report}"


def test_the_scanner_sees_unmarked_text_and_ignores_marked_text(tmp_path):
    template = tmp_path / "t.html"
    template.write_text(
        '{% load i18n %}<h1>{% translate "Requests" %}</h1>'
        '<button aria-label="Move {{ r.key }} up">↑</button>'
        "<p>{% blocktranslate %}Filed by {{ who }}{% endblocktranslate %}</p>"
        "<p>Left in English</p><p>{{ value }} · 3</p>{# a comment #}<p>Upstream</p>"
    )
    assert unmarked_strings(template) == ['aria-label="Move 0 up"', "Left in English"]


def messages_of(po: Path) -> dict[str, polib.POEntry]:
    """The live entries of a .po file, by msgctxt and msgid."""
    return {
        (entry.msgctxt or "") + "\x04" + entry.msgid: entry
        for entry in polib.pofile(str(po))
        if not entry.obsolete
    }


@pytest.fixture(scope="module")
def gettext_tools():
    """GNU gettext (xgettext, msgfmt): CI installs it; elsewhere these checks skip without it."""
    if not (shutil.which("xgettext") and shutil.which("msgfmt")):
        require_or_skip("GNU gettext is not installed (apt-get install gettext)")


@pytest.fixture(scope="module")
def fresh_catalogue(tmp_path_factory, gettext_tools):
    """`makemessages -l fr` run on a copy of the sources: what the catalogue must hold now."""
    copy = tmp_path_factory.mktemp("sources")
    for item in ROOT.iterdir():
        if item.name.startswith(".") or item.name in {"staticfiles", "bench", "tests"}:
            continue
        if item.is_dir():
            shutil.copytree(item, copy / item.name, ignore=shutil.ignore_patterns("__pycache__"))
    here = os.getcwd()
    os.chdir(copy)
    try:
        call_command("makemessages", locale=["fr"], verbosity=0, no_obsolete=True)
        call_command(
            "makemessages", locale=["fr"], domain="djangojs", verbosity=0, no_obsolete=True
        )
    finally:
        os.chdir(here)
    return copy / "locale" / "fr" / "LC_MESSAGES"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_marked_string_has_a_french_translation(fresh_catalogue, domain):
    shipped = messages_of(LOCALE / "fr" / "LC_MESSAGES" / f"{domain}.po")
    wanted = messages_of(fresh_catalogue / f"{domain}.po")
    missing = sorted(key.split("\x04")[1] for key in wanted.keys() - shipped.keys())
    untranslated = sorted(
        entry.msgid
        for key, entry in shipped.items()
        if key in wanted and (not entry.translated() or "fuzzy" in entry.flags)
    )
    assert missing == [], f"run `make messages` and translate: {missing}"
    assert untranslated == [], f"untranslated or fuzzy in {domain}.po: {untranslated}"


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_mo_is_the_compiled_po(tmp_path, domain, gettext_tools):
    po = LOCALE / "fr" / "LC_MESSAGES" / f"{domain}.po"
    compiled = tmp_path / f"{domain}.mo"
    subprocess.run(["msgfmt", "--check", "-o", str(compiled), str(po)], check=True)
    assert compiled.read_bytes() == po.with_suffix(".mo").read_bytes(), (
        "run `make messages` (compilemessages) and commit the .mo"
    )
