"""The English and Vietnamese user docs stay in step, and docs/README.md indexes them.

Each page in docs/en/ has a translation of the same name in docs/vi/ (and the
Tutor plugin's README.md has README.vi.md). A pair must have the same number of
level-2 headings, table rows and fenced code blocks. The counts skip anything
inside a fenced code block, so a shell comment or a "|" in an example does not
count as a heading or a table row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
INDEX = DOCS / "README.md"

# An opening or closing fence: three or more backticks or tildes after any
# indentation, so that fences nested in list items count too.
FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
# The target of an inline Markdown link, without a "#fragment".
LINK_TARGET = re.compile(r"\]\(([^)\s#]+)(?:#[^)]*)?\)")


@dataclass(frozen=True)
class Outline:
    """The parts of a Markdown page that must match in its translation."""

    level2_headings: int
    table_rows: int
    code_blocks: int


def outline_of(text: str) -> Outline:
    """Count level-2 headings, table rows and fenced code blocks outside code blocks."""
    headings = 0
    rows = 0
    blocks = 0
    open_fence = ""

    for line in text.splitlines():
        fence = FENCE.match(line)

        if open_fence:
            # A closing fence uses the opening character, at least as many times.
            if fence and fence.group(1)[0] == open_fence[0] and len(fence.group(1)) >= len(open_fence):
                open_fence = ""
            continue

        if fence:
            open_fence = fence.group(1)
            blocks += 1
        elif line.startswith("## "):
            headings += 1
        elif line.lstrip().startswith("|"):
            rows += 1

    return Outline(level2_headings=headings, table_rows=rows, code_blocks=blocks)


def translation_pairs() -> list[tuple[Path, Path]]:
    """Return (English, Vietnamese) paths: every docs/en page and the Tutor plugin README."""
    pairs = [(english, DOCS / "vi" / english.name) for english in sorted((DOCS / "en").glob("*.md"))]
    pairs.append((ROOT / "tutor_plugin" / "README.md", ROOT / "tutor_plugin" / "README.vi.md"))
    return pairs


def pair_id(pair: tuple[Path, Path]) -> str:
    return str(pair[0].relative_to(ROOT))


def index_targets() -> set[Path]:
    """Return the resolved files that docs/README.md links to."""
    text = INDEX.read_text(encoding="utf-8")
    return {(INDEX.parent / target).resolve() for target in LINK_TARGET.findall(text) if "://" not in target}


def test_outline_counts_markdown_parts():
    text = (
        "# Title\n"
        "## One\n"
        "| a | b |\n"
        "|---|---|\n"
        "| 1 | 2 |\n"
        "```sh\n"
        "## not a heading\n"
        "| not | a row |\n"
        "```\n"
        "## Two\n"
        "### Not level two\n"
        "- item:\n"
        "  ~~~~json\n"
        "  {\"a\": \"```\"}\n"
        "  ```\n"
        "  ~~~~\n"
    )
    assert outline_of(text) == Outline(level2_headings=2, table_rows=3, code_blocks=2)


def test_outline_detects_missing_table_row():
    english = "## A\n| x |\n|---|\n| 1 |\n| 2 |\n"
    vietnamese = "## A\n| x |\n|---|\n| 1 |\n"
    assert outline_of(english) != outline_of(vietnamese)


def test_docs_have_pages():
    assert len(list((DOCS / "en").glob("*.md"))) >= 7


@pytest.mark.parametrize("pair", translation_pairs(), ids=pair_id)
def test_page_has_translation(pair):
    english, vietnamese = pair
    assert vietnamese.is_file(), f"{english.relative_to(ROOT)} has no translation at {vietnamese.relative_to(ROOT)}"


def test_vietnamese_pages_have_english_original():
    english_names = {path.name for path in (DOCS / "en").glob("*.md")}
    orphans = sorted(path.name for path in (DOCS / "vi").glob("*.md") if path.name not in english_names)
    assert orphans == [], f"docs/vi pages without a docs/en page: {orphans}"


@pytest.mark.parametrize("pair", translation_pairs(), ids=pair_id)
def test_translation_matches_outline(pair):
    english, vietnamese = pair
    if not vietnamese.is_file():
        pytest.fail(f"{vietnamese.relative_to(ROOT)} is missing")
    expected = outline_of(english.read_text(encoding="utf-8"))
    actual = outline_of(vietnamese.read_text(encoding="utf-8"))

    assert actual.level2_headings == expected.level2_headings, (
        f"{vietnamese.relative_to(ROOT)} has {actual.level2_headings} '## ' headings, "
        f"{english.relative_to(ROOT)} has {expected.level2_headings}"
    )
    assert actual.table_rows == expected.table_rows, (
        f"{vietnamese.relative_to(ROOT)} has {actual.table_rows} table rows, "
        f"{english.relative_to(ROOT)} has {expected.table_rows}"
    )
    assert actual.code_blocks == expected.code_blocks, (
        f"{vietnamese.relative_to(ROOT)} has {actual.code_blocks} fenced code blocks, "
        f"{english.relative_to(ROOT)} has {expected.code_blocks}"
    )


@pytest.mark.parametrize("pair", translation_pairs(), ids=pair_id)
def test_index_links_both_languages(pair):
    targets = index_targets()
    for page in pair:
        assert page.resolve() in targets, f"docs/README.md does not link {page.relative_to(ROOT)}"


def test_index_links_resolve():
    text = INDEX.read_text(encoding="utf-8")
    missing = sorted(
        target
        for target in LINK_TARGET.findall(text)
        if "://" not in target and not (INDEX.parent / target).is_file()
    )
    assert missing == [], f"docs/README.md links files that do not exist: {missing}"


def test_index_links_other_docs_pages():
    targets = index_targets()
    unlisted = sorted(path.name for path in DOCS.glob("*.md") if path != INDEX and path.resolve() not in targets)
    assert unlisted == [], f"docs/README.md does not link {unlisted}"
