"""Every string marked for translation in the package has a Vietnamese translation."""

import ast
import gettext
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "digital_skills_xblocks"
TRANSLATION_FUNCTIONS = {"_", "gettext", "gettext_noop", "translate", "ugettext", "pgettext"}
TEMPLATE_TRANS = re.compile(r"""{%\s*trans\s+(["'])(.*?)\1""", re.DOTALL)
JS_GETTEXT = re.compile(r"""\bgettext\(\s*(["'])((?:\\.|(?!\1).)*)\1\s*[,)]""")


def python_msgids():
    found = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
            first = node.args[0]
            if name in TRANSLATION_FUNCTIONS and isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.setdefault(first.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def template_msgids():
    found = {}
    for path in PACKAGE.rglob("*.html"):
        for match in TEMPLATE_TRANS.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(match.group(2), str(path.relative_to(ROOT)))
    return found


def js_msgids():
    found = {}
    for path in PACKAGE.rglob("*.js"):
        if "translations" in path.parts:
            continue
        for match in JS_GETTEXT.finditer(path.read_text(encoding="utf-8")):
            msgid = json.loads('"' + match.group(2).replace('\\\'', "'").replace('"', '\\"') + '"')
            found.setdefault(msgid, str(path.relative_to(ROOT)))
    return found


def vietnamese_catalog():
    mo_path = PACKAGE / "translations" / "vi" / "LC_MESSAGES" / "text.mo"
    with mo_path.open("rb") as mo_file:
        return gettext.GNUTranslations(mo_file)


def js_catalog():
    """Return the entries of every shipped Vietnamese JS catalog, merged as a page with all blocks has them."""
    merged = {}
    for path in sorted((PACKAGE / "public" / "js" / "translations" / "vi").glob("*.js")):
        text = path.read_text(encoding="utf-8")
        start = text.index("var entries = ") + len("var entries = ")
        end = text.index(";\n", start)
        merged.update(json.loads(text[start:end]))
    return merged


def test_shipped_catalogs_are_current():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "compile_translations.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("source", ["python", "templates"])
def test_server_strings_translated(source):
    msgids = python_msgids() if source == "python" else template_msgids()
    catalog = vietnamese_catalog()

    missing = [f"{where}: {msgid!r}" for msgid, where in sorted(msgids.items()) if catalog.gettext(msgid) == msgid]

    assert not missing, "untranslated msgids:\n" + "\n".join(missing)


def test_javascript_strings_translated():
    catalog = js_catalog()

    missing = [f"{where}: {msgid!r}" for msgid, where in sorted(js_msgids().items()) if not catalog.get(msgid)]

    assert not missing, "untranslated JavaScript msgids:\n" + "\n".join(missing)


# The JS catalog each script's block adds to its fragment (common/ holds the Studio editor's script).
SCRIPT_CATALOGS = {"egov": "egov", "quiz": "quiz", "common": "studio"}
JS_CALL = re.compile(r"""\b(?:n?gettext)\(\s*(["'])((?:\\.|(?!\1).)*)\1\s*[,)]""")


@pytest.mark.parametrize("area", sorted(SCRIPT_CATALOGS))
def test_script_strings_in_own_catalog(area):
    text = (PACKAGE / "public" / "js" / "translations" / "vi" / f"{SCRIPT_CATALOGS[area]}.js").read_text(encoding="utf-8")
    start = text.index("var entries = ") + len("var entries = ")
    catalog = json.loads(text[start:text.index(";\n", start)])
    scripts = sorted((PACKAGE / area / "static" / "js").glob("*.js"))
    assert scripts, area

    missing = []
    for path in scripts:
        for match in JS_CALL.finditer(path.read_text(encoding="utf-8")):
            msgid = json.loads('"' + match.group(2).replace("\\'", "'").replace('"', '\\"') + '"')
            if not catalog.get(msgid):
                missing.append(f"{path.relative_to(ROOT)}: {msgid!r}")
    assert not missing, f"not in {SCRIPT_CATALOGS[area]}.js:\n" + "\n".join(missing)


def test_vietnamese_catalog_is_utf8_nfc():
    import unicodedata

    text = (PACKAGE / "translations" / "vi" / "LC_MESSAGES" / "text.po").read_text(encoding="utf-8")

    assert unicodedata.normalize("NFC", text) == text
