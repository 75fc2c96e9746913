"""Checks every OLX course in course_exports/: structure, content rules and two external validators.

Each structural check is a function that returns a list of problem strings, so
the same function is run on the real courses (which must give no problems) and
on deliberately broken copies (which must give the expected problem).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree, html as lxml_html

from digital_skills_xblocks.common.safe_xml import UnsafeXMLError, parse_xml

COURSE_EXPORTS_DIR = Path(__file__).resolve().parents[2] / "course_exports"
COURSE_DIRS = sorted(path for path in COURSE_EXPORTS_DIR.iterdir() if (path / "course.xml").is_file()) if COURSE_EXPORTS_DIR.is_dir() else []

FIRST_COURSE = COURSE_EXPORTS_DIR / "dich-vu-cong-truc-tuyen"

# Block types of this package. They are unknown to edx-cleaner and must be
# listed in the course policy's advanced_modules to appear in Studio.
OUR_BLOCK_TAGS = {"egov_simulation", "citizenship_quiz"}

# Leaf block types that Studio offers without an advanced_modules entry.
BUILTIN_LEAF_TAGS = {"html", "problem", "video", "discussion"}
STRUCTURE_CHILDREN = {"course": "chapter", "chapter": "sequential", "sequential": "vertical"}

URL_NAME = re.compile(r"^[A-Za-z0-9_.-]+$")

# Hosts outside .gov.vn that course content may link to, each with the reason.
# Empty for now: every link in the current courses goes to a .gov.vn host.
DOCUMENTED_EXTERNAL_HOSTS: dict[str, str] = {}

# Letters that occur in Vietnamese and not in plain ASCII English.
VIETNAMESE_LETTERS = re.compile(
    "[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]", re.IGNORECASE
)

# The district level of local government was removed on 1/7/2025; current
# procedures name xã/phường and tỉnh/thành phố only. A sentence may still state
# that the level is gone ("không còn quận/huyện"); that phrase is removed
# before the search.
DISTRICT_WORDS = re.compile(r"\b(huyện|quận)\b", re.IGNORECASE)
DISTRICT_REMOVED = re.compile(r"không còn (cấp )?(quận/huyện|huyện/quận|huyện|quận)\b", re.IGNORECASE)

# Twelve digits, also when grouped with single spaces or dots ("000 196 012 345").
TWELVE_DIGITS = re.compile(r"(?<![\d.])(?:\d[ .]?){11}\d(?![\d])")
# A URL needs a host after the scheme; the bare word "https://" in a sentence is not a link.
HTTP_URL = re.compile(r"https?://[a-z0-9\[][^\s\"'<>“”]*", re.IGNORECASE)
BINARY_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".pdf", ".mp4", ".ico", ".woff", ".woff2"}


# ---------------------------------------------------------------------------
# Reading a course
# ---------------------------------------------------------------------------


class Course:
    """An OLX course directory read through the hardened XML parser, with the problems found while reading."""

    def __init__(self, root: Path):
        self.root = root
        self.problems: list[str] = []
        self.visited_files: set[str] = set()
        # (tag, url_name, file relative to root, element)
        self.blocks: list[tuple[str, str, str, etree._Element]] = []
        self.html_files: list[str] = []
        self.pointer = self._parse("course.xml")
        self.url_name = self.pointer.get("url_name", "") if self.pointer is not None else ""
        self.course_element = None
        if self.pointer is not None:
            self.course_element = self._read_block("course", self.url_name, "course.xml")

    def _parse(self, relative: str) -> etree._Element | None:
        path = self.root / relative
        if not path.is_file():
            self.problems.append(f"{relative}: file not found")
            return None
        self.visited_files.add(relative)
        try:
            return parse_xml(path.read_bytes())
        except UnsafeXMLError as error:
            self.problems.append(f"{relative}: {error}")
            return None

    def _read_block(self, tag: str, url_name: str, referenced_from: str) -> etree._Element | None:
        if not URL_NAME.match(url_name):
            self.problems.append(f"{referenced_from}: <{tag}> url_name {url_name!r} does not match {URL_NAME.pattern}")
            return None
        relative = f"{tag}/{url_name}.xml"
        if not (self.root / relative).is_file():
            self.problems.append(f"{referenced_from}: <{tag} url_name={url_name!r}> points to {relative}, which is missing")
            return None
        element = self._parse(relative)
        if element is None:
            return None
        if element.tag != tag:
            self.problems.append(f"{relative}: root element is <{element.tag}>, expected <{tag}>")
            return None
        self.blocks.append((tag, url_name, relative, element))
        if tag == "html":
            self._read_html_pointer(url_name, relative, element)
        elif tag in STRUCTURE_CHILDREN or tag == "vertical":
            self._read_children(element, relative)
        return element

    def _read_html_pointer(self, url_name: str, relative: str, element: etree._Element) -> None:
        filename = element.get("filename")
        if filename is None:
            return
        html_relative = f"html/{filename}.html"
        if not (self.root / html_relative).is_file():
            self.problems.append(f"{relative}: filename={filename!r} points to {html_relative}, which is missing")
            return
        self.visited_files.add(html_relative)
        self.html_files.append(html_relative)

    def _read_children(self, element: etree._Element, relative: str) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            url_name = child.get("url_name")
            if url_name is None:
                self.problems.append(f"{relative}: <{child.tag}> has no url_name; Studio writes every child as a pointer")
                continue
            self._read_block(child.tag, url_name, relative)

    def policy_path(self, name: str) -> Path:
        return self.root / "policies" / self.url_name / name

    def load_json(self, path: Path) -> object:
        self.visited_files.add(str(path.relative_to(self.root)))
        return json.loads(path.read_text(encoding="utf-8"))

    def blocks_of(self, tag: str) -> list[tuple[str, str, str, etree._Element]]:
        return [block for block in self.blocks if block[0] == tag]


def read_course(root: Path) -> Course:
    return Course(root)


def text_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*") if path.is_file() and path.suffix.lower() not in BINARY_SUFFIXES)


def visible_text(path: Path) -> str:
    """Return the text a learner reads in an HTML file (tags removed, attributes ignored)."""
    raw = path.read_text(encoding="utf-8")
    if not raw.strip():
        return ""
    fragment = lxml_html.fragment_fromstring(raw, create_parent="div")
    return fragment.text_content()


# ---------------------------------------------------------------------------
# Checks: each returns a list of problems, empty when the course is clean
# ---------------------------------------------------------------------------


def check_structure(course: Course) -> list[str]:
    """Check pointers, url_names, display names and that no container is empty."""
    problems = list(course.problems)
    if course.pointer is None:
        return problems

    for attribute in ("url_name", "org", "course"):
        if not course.pointer.get(attribute):
            problems.append(f"course.xml: attribute {attribute!r} is missing")

    seen: dict[tuple[str, str], str] = {}
    for tag, url_name, relative, element in course.blocks:
        if (tag, url_name) in seen:
            problems.append(f"{relative}: <{tag} url_name={url_name!r}> is used twice (also in {seen[(tag, url_name)]})")
        seen[(tag, url_name)] = relative

        is_container = tag in STRUCTURE_CHILDREN or tag == "vertical"
        if is_container or tag == "html":
            if not element.get("display_name", "").strip():
                problems.append(f"{relative}: <{tag}> has no display_name")

        children = [child for child in element if isinstance(child.tag, str)]
        if is_container and not children:
            problems.append(f"{relative}: <{tag}> has no children; add at least one")
        expected_child = STRUCTURE_CHILDREN.get(tag)
        for child in children:
            if expected_child and child.tag != expected_child:
                problems.append(f"{relative}: <{child.tag}> inside <{tag}>, expected <{expected_child}>")
            if tag == "vertical" and child.tag in STRUCTURE_CHILDREN:
                problems.append(f"{relative}: <{child.tag}> cannot be inside a unit")
    return problems


def check_orphans(course: Course) -> list[str]:
    """Report block files that no pointer reaches (Studio would import them as unreachable content)."""
    problems = []
    for folder in ("course", "chapter", "sequential", "vertical", "html", *sorted(OUR_BLOCK_TAGS)):
        directory = course.root / folder
        if not directory.is_dir():
            continue
        for path in sorted(directory.iterdir()):
            relative = f"{folder}/{path.name}"
            if path.is_file() and relative not in course.visited_files:
                problems.append(f"{relative}: no pointer refers to this file; remove it or add a pointer")
    return problems


def check_policies(course: Course) -> list[str]:
    """Check policy.json, grading_policy.json and assets.json against the course tree."""
    problems: list[str] = []
    policy_file = course.policy_path("policy.json")
    grading_file = course.policy_path("grading_policy.json")
    try:
        policy = course.load_json(policy_file)
        grading = course.load_json(grading_file)
    except (OSError, ValueError) as error:
        return [f"policies/{course.url_name}: cannot read the policy files: {error}"]

    key = f"course/{course.url_name}"
    settings = policy.get(key) if isinstance(policy, dict) else None
    if not isinstance(settings, dict):
        return [f"policies/{course.url_name}/policy.json: no object under the key {key!r}"]

    if settings.get("language") != "vi":
        problems.append(f"policy.json: language is {settings.get('language')!r}, expected 'vi'")
    if course.course_element is not None and course.course_element.get("language") != "vi":
        problems.append(f"course/{course.url_name}.xml: language is {course.course_element.get('language')!r}, expected 'vi'")

    # Every block type that is not built into Studio must be enabled.
    advanced = settings.get("advanced_modules", [])
    used_tags = {tag for tag, *_ in course.blocks} - set(STRUCTURE_CHILDREN) - {"course", "vertical"}
    for tag in sorted(used_tags - BUILTIN_LEAF_TAGS):
        if tag not in advanced:
            problems.append(f"policy.json: advanced_modules does not list {tag!r}, which the course uses; add it")

    # Studio writes course settings both as attributes of course/<run>.xml
    # and in policy.json; the two copies must agree.
    if course.course_element is not None:
        for name, value in course.course_element.attrib.items():
            if name in settings and decode_xml_setting(value) != settings[name]:
                problems.append(f"course/{course.url_name}.xml: {name}={value!r} differs from policy.json ({settings[name]!r})")

    problems += check_grading(course, grading)
    problems += check_assets(course, settings)
    return problems


def decode_xml_setting(value: str) -> object:
    """Decode an attribute the way Studio stores it (JSON for lists, booleans and numbers, else text)."""
    try:
        return json.loads(value)
    except ValueError:
        return value


def check_grading(course: Course, grading: object) -> list[str]:
    problems: list[str] = []
    if not isinstance(grading, dict) or not isinstance(grading.get("GRADER"), list):
        return ["grading_policy.json: GRADER must be a list"]
    graders = {entry.get("type"): entry for entry in grading["GRADER"] if isinstance(entry, dict)}
    total_weight = sum(entry.get("weight", 0) for entry in graders.values())
    if abs(total_weight - 1.0) > 1e-9:
        problems.append(f"grading_policy.json: grader weights add up to {total_weight}, expected 1.0")
    cutoffs = grading.get("GRADE_CUTOFFS")
    if not isinstance(cutoffs, dict) or not cutoffs or not all(0 < value <= 1 for value in cutoffs.values()):
        problems.append(f"grading_policy.json: GRADE_CUTOFFS {cutoffs!r} must map grades to numbers in (0, 1]")

    used_formats: dict[str, int] = {}
    for _, _, relative, element in course.blocks_of("sequential"):
        assignment_type = element.get("format")
        graded = element.get("graded") == "true"
        if assignment_type is None:
            if graded:
                problems.append(f"{relative}: graded=\"true\" without a format; set format to a grader type")
            continue
        if assignment_type not in graders:
            problems.append(f"{relative}: format={assignment_type!r} matches no grader type ({sorted(graders)})")
        if not graded:
            problems.append(f"{relative}: format={assignment_type!r} but graded is not \"true\"")
        used_formats[assignment_type] = used_formats.get(assignment_type, 0) + 1

    for assignment_type, entry in graders.items():
        count = used_formats.get(assignment_type, 0)
        if count < entry.get("min_count", 1):
            problems.append(
                f"grading_policy.json: {assignment_type!r} expects {entry.get('min_count')} subsections, the course has {count}"
            )
    return problems


def check_assets(course: Course, settings: dict) -> list[str]:
    problems: list[str] = []
    assets_file = course.root / "policies" / "assets.json"
    try:
        assets = course.load_json(assets_file)
    except (OSError, ValueError) as error:
        return [f"policies/assets.json: cannot read: {error}"]
    static_dir = course.root / "static"
    static_files = {path.name for path in static_dir.iterdir() if path.is_file()} if static_dir.is_dir() else set()
    for name in sorted(static_files - set(assets)):
        problems.append(f"static/{name}: not listed in policies/assets.json")
    for name in sorted(set(assets) - static_files):
        problems.append(f"policies/assets.json: {name!r} is listed but static/{name} is missing")
    image = settings.get("course_image")
    if image and image not in static_files:
        problems.append(f"policy.json: course_image {image!r} is not in static/")
    return problems


def check_text_files(root: Path) -> list[str]:
    """Check encoding, Unicode normalisation and the local-government wording of every text file."""
    problems = []
    for path in text_files(root):
        relative = str(path.relative_to(root))
        raw = path.read_bytes()
        if raw.startswith(b"\xef\xbb\xbf"):
            problems.append(f"{relative}: starts with a UTF-8 byte order mark; remove it")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(f"{relative}: not UTF-8 ({error})")
            continue
        if unicodedata.normalize("NFC", text) != text:
            problems.append(f"{relative}: not in Unicode NFC; recompose the Vietnamese letters")
        for number, line in enumerate(text.splitlines(), start=1):
            current_text = DISTRICT_REMOVED.sub("", unicodedata.normalize("NFC", line))
            for match in DISTRICT_WORDS.finditer(current_text):
                problems.append(
                    f"{relative}:{number}: {match.group(0)!r} names the district level, removed on 1/7/2025; "
                    "write xã/phường or tỉnh/thành phố"
                )
    return problems


def check_id_numbers(root: Path) -> list[str]:
    """Reject 12-digit numbers (personal ID numbers) unless they use the fictional province prefix 000."""
    problems = []
    for path in text_files(root):
        relative = str(path.relative_to(root))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in TWELVE_DIGITS.finditer(line):
                digits = re.sub(r"\D", "", match.group(0))
                if not digits.startswith("000"):
                    problems.append(f"{relative}:{number}: {match.group(0)} looks like a real ID number; use the prefix 000")
    return problems


def check_links(root: Path) -> list[str]:
    """Allow http(s) links only to .gov.vn hosts and the documented exceptions."""
    problems = []
    for path in text_files(root):
        relative = str(path.relative_to(root))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in HTTP_URL.finditer(line):
                host = (urlsplit(match.group(0)).hostname or "").lower()
                if host == "gov.vn" or host.endswith(".gov.vn") or host in DOCUMENTED_EXTERNAL_HOSTS:
                    continue
                problems.append(f"{relative}:{number}: link to {host!r} ({match.group(0)}); link only to .gov.vn hosts")
    return problems


def check_html_content(root: Path) -> list[str]:
    """Check the HTML that learners read: no scripts or external resources, alt text, heading order, Vietnamese."""
    problems = []
    html_paths = sorted(root.glob("html/*.html")) + sorted(root.glob("about/*.html")) + sorted(root.glob("info/*.html"))
    for path in html_paths:
        relative = str(path.relative_to(root))
        raw = path.read_text(encoding="utf-8")
        if not raw.strip():
            continue
        fragment = lxml_html.fragment_fromstring(raw, create_parent="div")

        for element in fragment.iter():
            if not isinstance(element.tag, str):
                continue
            if element.tag in {"script", "iframe", "object", "embed", "link", "style"}:
                problems.append(f"{relative}: <{element.tag}> is not allowed in course content")
            for name, value in element.attrib.items():
                if name.lower().startswith("on"):
                    problems.append(f"{relative}: event handler attribute {name!r} on <{element.tag}>")
                if value.strip().lower().startswith("javascript:"):
                    problems.append(f"{relative}: javascript: URL in {name!r} on <{element.tag}>")
            source = element.get("src", "")
            if re.match(r"^(https?:)?//", source, re.IGNORECASE):
                problems.append(f"{relative}: <{element.tag}> loads the external resource {source!r}; ship it in static/")
            if element.tag == "img" and not element.get("alt", "").strip():
                problems.append(f"{relative}: <img src={source!r}> has no alt text")

        # The page around a component or an about page already has the <h1>
        # title, so content starts at <h2> and never skips a level.
        previous_level = None
        for heading in fragment.iter("h1", "h2", "h3", "h4", "h5", "h6"):
            level = int(heading.tag[1])
            if level == 1:
                problems.append(f"{relative}: <h1> is reserved for the page title; use <h2>")
            elif previous_level is None and level != 2:
                problems.append(f"{relative}: the first heading is <{heading.tag}>; start at <h2> under the page's <h1> title")
            elif previous_level is not None and level > previous_level + 1:
                problems.append(f"{relative}: <{heading.tag}> follows <h{previous_level}>; do not skip heading levels")
            previous_level = level

        if path.parent.name == "html" and not VIETNAMESE_LETTERS.search(fragment.text_content()):
            problems.append(f"{relative}: no Vietnamese text found")
    return problems


def check_display_names_vietnamese(course: Course) -> list[str]:
    problems = []
    for tag, _, relative, element in course.blocks:
        name = element.get("display_name")
        if name and not VIETNAMESE_LETTERS.search(name):
            problems.append(f"{relative}: display_name {name!r} has no Vietnamese letters")
    return problems


def all_problems(root: Path) -> list[str]:
    course = read_course(root)
    return (
        check_structure(course)
        + check_orphans(course)
        + check_policies(course)
        + check_text_files(root)
        + check_id_numbers(root)
        + check_links(root)
        + check_html_content(root)
        + check_display_names_vietnamese(course)
    )


# ---------------------------------------------------------------------------
# The real courses
# ---------------------------------------------------------------------------


def test_course_exports_not_empty():
    assert COURSE_DIRS, f"no course directory with a course.xml in {COURSE_EXPORTS_DIR}"


@pytest.mark.parametrize("course_dir", COURSE_DIRS, ids=[path.name for path in COURSE_DIRS])
@pytest.mark.parametrize(
    "check",
    [check_structure, check_orphans, check_policies, check_display_names_vietnamese],
    ids=lambda check: check.__name__,
)
def test_course_tree_clean(course_dir, check):
    problems = check(read_course(course_dir))

    assert problems == []


@pytest.mark.parametrize("course_dir", COURSE_DIRS, ids=[path.name for path in COURSE_DIRS])
@pytest.mark.parametrize(
    "check",
    [check_text_files, check_id_numbers, check_links, check_html_content],
    ids=lambda check: check.__name__,
)
def test_course_files_clean(course_dir, check):
    problems = check(course_dir)

    assert problems == []


def test_first_course_identity_and_units():
    course = read_course(FIRST_COURSE)

    assert course.pointer.attrib == {"url_name": "2026", "org": "DigitalSkillsVN", "course": "DVC101"}
    assert course.course_element.get("language") == "vi"
    assert len(course.blocks_of("chapter")) >= 2
    assert len(course.blocks_of("vertical")) >= 3
    simulations = {url_name for _, url_name, _, _ in course.blocks_of("egov_simulation")}
    assert {"dang_ky_khai_sinh", "dang_ky_thuong_tru"} <= simulations


def test_first_course_units_mix_html_and_simulation():
    course = read_course(FIRST_COURSE)
    child_tags = [
        {child.tag for child in element if isinstance(child.tag, str)} for _, _, _, element in course.blocks_of("vertical")
    ]

    assert sum(1 for tags in child_tags if tags == {"html"}) >= 3
    assert sum(1 for tags in child_tags if tags == {"html", "egov_simulation"}) >= 2


def test_first_course_html_names_legal_sources():
    for path in sorted((FIRST_COURSE / "html").glob("*.html")):
        text = visible_text(path)

        assert "Căn cứ pháp lý" in text, f"{path.name} names no legal source"


def test_first_course_about_pages():
    about = FIRST_COURSE / "about"
    overview = visible_text(about / "overview.html")

    for heading in ("Giới thiệu khóa học", "Yêu cầu", "Câu hỏi thường gặp", "Căn cứ pháp lý"):
        assert heading in overview
    assert (about / "short_description.html").read_text(encoding="utf-8").strip()
    assert (about / "effort.html").read_text(encoding="utf-8").strip()
    assert (FIRST_COURSE / "info" / "updates.html").is_file()
    assert (FIRST_COURSE / "info" / "handouts.html").is_file()


# ---------------------------------------------------------------------------
# edx-cleaner (olxcleaner) and digital-skills validate
# ---------------------------------------------------------------------------

CLEANER_LINE = re.compile(r"^(DEBUG|INFO|WARNING|ERROR) (\w+) \((.*?)\): (.*)$")
CLEANER_SUMMARY = re.compile(r"^(DEBUG|INFO|WARNING|ERROR)s: (\d+)$")
UNKNOWN_OUR_TAG = re.compile(r"^A <(" + "|".join(sorted(OUR_BLOCK_TAGS)) + r")> tag was unexpectedly found inside the <vertical ")
SETTING_OVERRIDE = re.compile(r"^The policy file entry for <course url_name='([^']+)'> is overriding the setting for '(\w+)'$")


def console_script(name: str) -> str:
    """Return the path of a console script installed next to the running interpreter."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    found = shutil.which(name)
    assert found, f"the {name} command is not installed; run make venv"
    return found


def run_edx_cleaner(course_dir: Path, cwd: Path) -> tuple[list[tuple[str, str, str, str]], dict[str, int], str]:
    result = subprocess.run(
        [console_script("edx-cleaner"), "-c", str(course_dir / "course.xml")],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    messages = []
    summary = {}
    for line in output.splitlines():
        match = CLEANER_LINE.match(line.strip())
        if match:
            messages.append(match.groups())
        summary_match = CLEANER_SUMMARY.match(line.strip())
        if summary_match:
            summary[summary_match.group(1)] = int(summary_match.group(2))
    return messages, summary, output


def unexpected_cleaner_messages(course_dir: Path, messages: list[tuple[str, str, str, str]]) -> list[str]:
    """Return the edx-cleaner messages that are not explained by our block types or Studio's duplicated settings.

    Allowed: an ERROR UnexpectedTag for one of our block tags inside a unit
    (edx-cleaner recognises only the built-in block types), and a WARNING
    SettingOverride on the course entry when the value in course/<run>.xml
    equals the one in policy.json (Studio writes both copies).
    """
    course = read_course(course_dir)
    settings = json.loads(course.policy_path("policy.json").read_text(encoding="utf-8")).get(f"course/{course.url_name}", {})
    leftover = []
    for level, name, filename, description in messages:
        if level == "ERROR" and name == "UnexpectedTag" and UNKNOWN_OUR_TAG.match(description):
            continue
        override = SETTING_OVERRIDE.match(description)
        if level == "WARNING" and name == "SettingOverride" and override and override.group(1) == course.url_name:
            setting = override.group(2)
            xml_value = course.course_element.get(setting)
            if xml_value is not None and decode_xml_setting(xml_value) == settings.get(setting):
                continue
        leftover.append(f"{level} {name} ({filename}): {description}")
    return leftover


@pytest.mark.parametrize("course_dir", COURSE_DIRS, ids=[path.name for path in COURSE_DIRS])
def test_edx_cleaner_only_reports_our_tags(course_dir, tmp_path):
    messages, summary, output = run_edx_cleaner(course_dir, tmp_path)

    assert "Loaded from" in output, output
    assert sum(summary.values()) == len(messages), f"parsed {len(messages)} messages, summary says {summary}:\n{output}"
    assert unexpected_cleaner_messages(course_dir, messages) == []
    unknown_tags = [m for m in messages if m[1] == "UnexpectedTag"]
    our_references = [block for block in read_course(course_dir).blocks if block[0] in OUR_BLOCK_TAGS]
    assert len(unknown_tags) == len(our_references)


def test_edx_cleaner_filter_keeps_other_errors(tmp_path):
    broken = tmp_path / "course"
    shutil.copytree(FIRST_COURSE, broken)
    vertical = broken / "vertical" / "vneid_muc_do.xml"
    vertical.write_text(vertical.read_text(encoding="utf-8").replace("</vertical>", "  <poll url_name=\"x\"/>\n</vertical>"), encoding="utf-8")
    policy = broken / "policies" / "2026" / "policy.json"
    policy.write_text(policy.read_text(encoding="utf-8").replace('"language": "vi"', '"language": "en"'), encoding="utf-8")

    messages, _, _ = run_edx_cleaner(broken, tmp_path)
    leftover = unexpected_cleaner_messages(broken, messages)

    assert any("<poll>" in line for line in leftover)
    assert any("'language'" in line for line in leftover)


def run_validate(course_dir: Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [console_script("digital-skills"), "validate", str(course_dir)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=300,
        check=False,
        env={**os.environ, "LANG": "C.UTF-8"},
    )


@pytest.mark.parametrize("course_dir", COURSE_DIRS, ids=[path.name for path in COURSE_DIRS])
def test_digital_skills_validate_clean(course_dir, tmp_path):
    result = run_validate(course_dir, tmp_path)

    assert result.returncode == 0, result.stdout + result.stderr


def test_digital_skills_validate_rejects_broken_copy(tmp_path):
    broken = tmp_path / "course"
    shutil.copytree(FIRST_COURSE, broken)
    (broken / "html" / "tong_ket_noi_dung.html").unlink()

    result = run_validate(broken, tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "tong_ket_noi_dung.html" in result.stdout + result.stderr


# ---------------------------------------------------------------------------
# The checks catch broken copies of the first course
# ---------------------------------------------------------------------------


@pytest.fixture()
def course_copy(tmp_path) -> Path:
    destination = tmp_path / "course"
    shutil.copytree(FIRST_COURSE, destination)
    return destination


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not found in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_checks_catch_missing_pointer_target(course_copy):
    (course_copy / "html" / "tong_ket_noi_dung.html").unlink()
    (course_copy / "sequential" / "bai_3_an_toan.xml").unlink()

    problems = all_problems(course_copy)

    assert any("html/tong_ket_noi_dung.html, which is missing" in p for p in problems)
    assert any("sequential/bai_3_an_toan.xml, which is missing" in p for p in problems)


def test_checks_catch_empty_unit_and_orphan(course_copy):
    (course_copy / "vertical" / "tong_ket_khoa_hoc.xml").write_text('<vertical display_name="Trống"/>\n', encoding="utf-8")

    problems = all_problems(course_copy)

    assert any("vertical/tong_ket_khoa_hoc.xml: <vertical> has no children" in p for p in problems)
    assert any("html/tong_ket_noi_dung.xml: no pointer refers to this file" in p for p in problems)


def test_checks_catch_bad_url_name_and_hostile_xml(course_copy):
    replace_in(course_copy / "vertical" / "vneid_muc_do.xml", 'url_name="vneid_muc_do_noi_dung"', 'url_name="vneid mức độ"')
    (course_copy / "sequential" / "tong_ket.xml").write_text(
        '<!DOCTYPE s [<!ENTITY x "y">]><sequential display_name="&x;"/>', encoding="utf-8"
    )

    problems = all_problems(course_copy)

    assert any("url_name 'vneid mức độ' does not match" in p for p in problems)
    assert any(p.startswith("sequential/tong_ket.xml") and "DOCTYPE" in p for p in problems)


def test_checks_catch_missing_advanced_module(course_copy):
    replace_in(course_copy / "policies" / "2026" / "policy.json", '"egov_simulation"', '"poll"')

    problems = all_problems(course_copy)

    assert any("advanced_modules does not list 'egov_simulation'" in p for p in problems)


def test_checks_catch_invalid_policy_json(course_copy):
    (course_copy / "policies" / "2026" / "grading_policy.json").write_text('{"GRADER": [', encoding="utf-8")

    problems = all_problems(course_copy)

    assert any("cannot read the policy files" in p for p in problems)


def test_checks_catch_format_without_grader(course_copy):
    replace_in(course_copy / "sequential" / "thuc_hanh_khai_sinh.xml", 'format="Thực hành"', 'format="Bài tập"')

    problems = all_problems(course_copy)

    assert any("format='Bài tập' matches no grader type" in p for p in problems)
    shortfall = re.compile(r"'Thực hành' expects (\d+) subsections, the course has (\d+)")
    counts = [tuple(map(int, match.groups())) for match in map(shortfall.search, problems) if match]
    assert counts, problems
    assert counts[0][1] == counts[0][0] - 1


def test_checks_catch_district_and_real_id(course_copy):
    replace_in(course_copy / "html" / "theo_doi_ho_so_noi_dung.html", "xã/phường", "huyện")
    replace_in(course_copy / "html" / "so_dinh_danh_noi_dung.html", "000305123456", "001305123456")

    problems = all_problems(course_copy)

    assert any("theo_doi_ho_so_noi_dung.html" in p and "'huyện'" in p for p in problems)
    assert any("001305123456 looks like a real ID number" in p for p in problems)


@pytest.mark.parametrize(
    "text, reported",
    [
        ("Số 001305123456.", True),
        ("Số 001 305 123 456.", True),
        ("Số 001.305.123.456.", True),
        ("Số 000305123456.", False),
        ("Số 000 305 123 456.", False),
        ("Gọi 0899 000 456 hoặc 156.", False),
        ("Lệ phí 10.000 đ, năm 2026.", False),
    ],
)
def test_id_number_check_cases(tmp_path, text, reported):
    (tmp_path / "unit.html").write_text(f"<p>{text}</p>", encoding="utf-8")

    problems = check_id_numbers(tmp_path)

    assert bool(problems) is reported, problems


def test_district_check_ignores_chuyen_and_removal():
    # "chuyện" (story) contains the letters of "huyện" but is another word.
    assert not DISTRICT_WORDS.search("Câu chuyện của một người mẹ")
    assert not DISTRICT_WORDS.search(DISTRICT_REMOVED.sub("", "Từ ngày 01/7/2025 không còn quận/huyện."))
    assert DISTRICT_WORDS.search(DISTRICT_REMOVED.sub("", "Nộp tại Ủy ban nhân dân quận Ba Đình."))


def test_checks_catch_decomposed_unicode(course_copy):
    path = course_copy / "html" / "tong_ket_noi_dung.html"
    path.write_text(unicodedata.normalize("NFD", path.read_text(encoding="utf-8")), encoding="utf-8")

    problems = all_problems(course_copy)

    assert "html/tong_ket_noi_dung.html: not in Unicode NFC; recompose the Vietnamese letters" in problems


def test_checks_catch_external_link_script_and_image(course_copy):
    replace_in(
        course_copy / "html" / "tong_ket_noi_dung.html",
        "<h2>Học tiếp</h2>",
        '<h5>Sai cấp</h5><script>alert(1)</script><img src="https://cdn.example.com/a.png">'
        '<a href="https://dichvucong.bvgov.com/login" onclick="x()">Đăng nhập</a><h2>Học tiếp</h2>',
    )

    problems = all_problems(course_copy)

    assert any("link to 'cdn.example.com'" in p for p in problems)
    assert any("link to 'dichvucong.bvgov.com'" in p for p in problems)
    assert any("<script> is not allowed" in p for p in problems)
    assert any("loads the external resource" in p for p in problems)
    assert any("has no alt text" in p for p in problems)
    assert any("event handler attribute 'onclick'" in p for p in problems)
    assert any("<h5> follows <h2>" in p for p in problems)


def test_checks_catch_first_heading_too_deep(course_copy):
    replace_in(course_copy / "html" / "tong_ket_noi_dung.html", "<h2>Những điều cần nhớ</h2>", "<h3>Những điều cần nhớ</h3>")

    problems = all_problems(course_copy)

    assert any(p.startswith("html/tong_ket_noi_dung.html: the first heading is <h3>") for p in problems)


def test_checks_catch_xml_policy_mismatch(course_copy):
    replace_in(course_copy / "course" / "2026.xml", 'language="vi"', 'language="en"')

    problems = all_problems(course_copy)

    assert any("language is 'en', expected 'vi'" in p for p in problems)
    assert any("language='en' differs from policy.json" in p for p in problems)
