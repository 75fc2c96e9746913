"""The curriculum maps (docs/en and docs/vi curriculum-map.md) agree with the courses in course_exports/.

Each check is a function that returns a list of problem strings. The real maps
must give none, and edited copies of a map must give the expected problem, so
a check that can never fail is caught too.

Map conventions the checks rely on:
- one ``## ... (`<course directory>`)`` section per course;
- each unit written as ``Display name (`vertical_url_name`)``, with the
  display name exactly as in the course;
- each simulation and quiz block marked ``[simulation: `url_name`]`` and
  ``[quiz: `url_name`]`` (``[mô phỏng: ...]`` and ``[kiểm tra: ...]`` in
  Vietnamese), inside its own course's section;
- learning-outcome rows start with ``| O1 |``, ``| O2 |``...; the Vietnamese
  map quotes each outcome of ``about/overview.html`` word for word;
- one summary table under the summary heading, one row per course and a last
  row with the totals.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from lxml import html as lxml_html

from digital_skills_xblocks.olx.reader import about_html, read_course
from digital_skills_xblocks.quiz.bank import AREAS, parse_quiz

ROOT = Path(__file__).resolve().parents[2]
COURSE_DIRS = sorted(path.parent for path in (ROOT / "course_exports").glob("*/course.xml"))


@dataclass(frozen=True)
class MapLanguage:
    """The words a map in one language uses for its marks and its summary heading."""

    code: str
    simulation_mark: str
    quiz_mark: str
    summary_heading: str


LANGUAGES = {
    "en": MapLanguage("en", "simulation", "quiz", "Summary"),
    "vi": MapLanguage("vi", "mô phỏng", "kiểm tra", "Tổng hợp số liệu"),
}

SECTION_HEADING = re.compile(r"^## .*\(`([a-z0-9-]+)`\)\s*$", re.MULTILINE)
ANY_HEADING = re.compile(r"^#{1,2} ", re.MULTILINE)
BACKTICKED = re.compile(r"`([^`\n]+)`")
OUTCOME_ROW = re.compile(r"^\| O(\d+) \|", re.MULTILINE)
SUMMARY_COLUMNS = 11


@dataclass
class CourseFacts:
    """What the map must state about one course, counted from its OLX export."""

    directory: str
    chapters: int = 0
    units: dict[str, str] = field(default_factory=dict)
    simulations: set[str] = field(default_factory=set)
    quizzes: set[str] = field(default_factory=set)
    questions_by_area: Counter = field(default_factory=Counter)
    outcomes: list[str] = field(default_factory=list)

    @property
    def questions(self) -> int:
        return sum(self.questions_by_area.values())

    def summary_numbers(self) -> list[int]:
        """Return the summary row's numbers, in the column order of the summary table."""
        counts = [self.chapters, len(self.units), len(self.simulations), len(self.quizzes), self.questions]
        return counts + [self.questions_by_area[area] for area in AREAS]


def normalise_space(text: str) -> str:
    return " ".join(text.split())


def overview_outcomes(overview: str) -> list[str]:
    """Return the items of the overview's ``<section class="outcomes">`` list, or [] when it has none."""
    if not overview.strip():
        return []
    outcomes = []
    for fragment in lxml_html.fragments_fromstring(overview):
        if not isinstance(fragment, lxml_html.HtmlElement):
            continue
        for section in fragment.xpath("descendant-or-self::section[contains(concat(' ', @class, ' '), ' outcomes ')]"):
            outcomes.extend(normalise_space(item.text_content()) for item in section.iter("li"))
    return outcomes


def read_facts(course_dir: Path) -> CourseFacts:
    """Count chapters, units, simulations, quizzes and quiz questions per area, and read the outcomes."""
    export = read_course(str(course_dir))
    assert not export.problems, [problem.format() for problem in export.problems]
    facts = CourseFacts(directory=course_dir.name)

    for node in export.nodes():
        if node.tag == "chapter":
            facts.chapters += 1
        elif node.tag == "vertical":
            facts.units[node.url_name] = node.display_name
        elif node.tag == "egov_simulation":
            facts.simulations.add(node.url_name)
        elif node.tag == "citizenship_quiz":
            facts.quizzes.add(node.url_name)
            quiz = parse_quiz(node.element)
            facts.questions_by_area.update(question.area for question in quiz.questions)

    facts.outcomes = overview_outcomes(about_html(export))
    return facts


def course_sections(text: str) -> dict[str, str]:
    """Split a map into its course sections: course directory -> the text up to the next heading."""
    sections: dict[str, str] = {}
    for match in SECTION_HEADING.finditer(text):
        next_heading = ANY_HEADING.search(text, match.end())
        end = next_heading.start() if next_heading else len(text)
        directory = match.group(1)
        sections[directory] = sections.get(directory, "") + text[match.end():end]
    return sections


def marked_blocks(section: str, mark: str) -> set[str]:
    return set(re.findall(r"\[" + re.escape(mark) + r": `([^`]+)`\]", section))


def summary_rows(text: str, language: MapLanguage) -> list[list[str]] | None:
    """Return the cells of the summary table's rows (header and separator excluded), or None without a table."""
    heading = re.search(r"^## " + re.escape(language.summary_heading) + r"\s*$", text, re.MULTILINE)
    if heading is None:
        return None
    lines = text[heading.end():].splitlines()
    table = []
    for line in lines:
        if line.startswith("|"):
            table.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif table:
            break
    if len(table) < 3:
        return None
    return [table[0]] + table[2:]


def check_sections(text: str, courses: list[CourseFacts], language: MapLanguage) -> list[str]:
    """Check that each course has one section and that each section names only what its course contains."""
    problems = []
    sections = course_sections(text)
    headings = Counter(SECTION_HEADING.findall(text))
    known = {course.directory for course in courses}

    for directory in sorted(known - set(sections)):
        problems.append(f"course {directory}: no '## ... (`{directory}`)' section")
    for directory in sorted(set(sections) - known):
        problems.append(f"section `{directory}`: no such course in course_exports/")
    for directory, count in sorted(headings.items()):
        if count > 1:
            problems.append(f"course {directory}: {count} sections, expected one")

    for course in courses:
        section = sections.get(course.directory)
        if section is None:
            continue
        problems.extend(check_section(section, course, language))
    return problems


def check_section(section: str, course: CourseFacts, language: MapLanguage) -> list[str]:
    problems = []
    where = f"course {course.directory}"

    for mark, expected in ((language.simulation_mark, course.simulations), (language.quiz_mark, course.quizzes)):
        found = marked_blocks(section, mark)
        for url_name in sorted(expected - found):
            problems.append(f"{where}: [{mark}: `{url_name}`] missing")
        for url_name in sorted(found - expected):
            problems.append(f"{where}: [{mark}: `{url_name}`] is not a block of this kind in the course")

    block_names = course.simulations | course.quizzes
    for token in sorted(set(BACKTICKED.findall(section))):
        if token == course.directory or token in AREAS or token in block_names:
            continue
        if token not in course.units:
            problems.append(f"{where}: `{token}` is not a unit (vertical url_name) of the course")
            continue
    flat_section = normalise_space(section)
    for url_name, display_name in sorted(course.units.items()):
        if f"`{url_name}`" not in section:
            problems.append(f"{where}: unit {display_name!r} (`{url_name}`) is not in the map")
        elif f"{display_name} (`{url_name}`)" not in flat_section:
            problems.append(f"{where}: unit `{url_name}` must be written as '{display_name} (`{url_name}`)'")

    outcome_numbers = [int(number) for number in OUTCOME_ROW.findall(section)]
    expected_numbers = list(range(1, len(course.outcomes) + 1))
    if outcome_numbers != expected_numbers:
        problems.append(f"{where}: outcome rows {outcome_numbers}, expected {expected_numbers} "
                        f"(one per item of about/overview.html's outcomes list)")
    if language.code == "vi":
        for outcome in course.outcomes:
            if outcome not in flat_section:
                problems.append(f"{where}: outcome not quoted word for word: {outcome!r}")
    return problems


def check_summary(text: str, courses: list[CourseFacts], language: MapLanguage) -> list[str]:
    """Check the summary table's numbers, per course and in the totals row, against the courses."""
    rows = summary_rows(text, language)
    if rows is None:
        return [f"no table under '## {language.summary_heading}'"]

    problems = []
    header, body = rows[0], rows[1:]
    header_areas = [BACKTICKED.findall(cell) for cell in header[6:]]
    if header_areas != [[area] for area in AREAS]:
        problems.append(f"summary header: columns 7-11 must name the areas {list(AREAS)} in backticks, found {header[6:]}")
    for row in body:
        if len(row) != SUMMARY_COLUMNS:
            problems.append(f"summary row {row[0]!r}: {len(row)} cells, expected {SUMMARY_COLUMNS}")
    if problems:
        return problems

    by_directory = {course.directory: course for course in courses}
    seen = set()
    for row in body[:-1]:
        names = BACKTICKED.findall(row[0])
        directory = names[0] if names else row[0]
        course = by_directory.get(directory)
        if course is None:
            problems.append(f"summary row {row[0]!r}: no such course")
            continue
        seen.add(directory)
        problems.extend(compare_numbers(f"summary row {directory}", header, row, course.summary_numbers()))
    for directory in sorted(set(by_directory) - seen):
        problems.append(f"summary: no row for {directory}")

    totals = [sum(column) for column in zip(*(course.summary_numbers() for course in courses))]
    problems.extend(compare_numbers("summary totals row", header, body[-1], totals))
    return problems


def compare_numbers(where: str, header: list[str], row: list[str], expected: list[int]) -> list[str]:
    problems = []
    for column, cell, number in zip(header[1:], row[1:], expected):
        written = cell.strip("* ")
        if written != str(number):
            problems.append(f"{where}, column {column!r}: the map says {cell!r}, the courses give {number}")
    return problems


def check_map(text: str, courses: list[CourseFacts], language: MapLanguage) -> list[str]:
    return check_sections(text, courses, language) + check_summary(text, courses, language)


@pytest.fixture(name="courses", scope="module")
def courses_fixture() -> list[CourseFacts]:
    return [read_facts(path) for path in COURSE_DIRS]


def map_text(code: str) -> str:
    return (ROOT / "docs" / code / "curriculum-map.md").read_text(encoding="utf-8")


def test_curriculum_has_courses(courses):
    assert len(courses) >= 5, [course.directory for course in courses]


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_map_matches_courses(code, courses):
    assert check_map(map_text(code), courses, LANGUAGES[code]) == []


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_curriculum_page_links_map(code):
    page = (ROOT / "docs" / code / "curriculum.md").read_text(encoding="utf-8")
    assert "(curriculum-map.md)" in page
    for course_dir in COURSE_DIRS:
        assert f"`{course_dir.name}`" in page, course_dir.name


# ---------------------------------------------------------------------------
# The checks catch an edited map
# ---------------------------------------------------------------------------


def first_course_with(courses: list[CourseFacts], attribute: str) -> CourseFacts:
    return next(course for course in courses if getattr(course, attribute))


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_missing_quiz_mark_reported(code, courses):
    language = LANGUAGES[code]
    course = first_course_with(courses, "quizzes")
    quiz = sorted(course.quizzes)[0]
    text = map_text(code).replace(f"[{language.quiz_mark}: `{quiz}`]", "")

    problems = check_map(text, courses, language)

    assert f"course {course.directory}: [{language.quiz_mark}: `{quiz}`] missing" in problems


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_simulation_in_wrong_course_reported(code, courses):
    language = LANGUAGES[code]
    course = first_course_with(courses, "simulations")
    simulation = sorted(course.simulations)[0]
    other = next(item for item in courses if simulation not in item.simulations)
    text = map_text(code)
    other_heading = re.search(r"^## .*\(`" + re.escape(other.directory) + r"`\)\s*$", text, re.MULTILINE)
    text = text[:other_heading.end()] + f"\n[{language.simulation_mark}: `{simulation}`]\n" + text[other_heading.end():]

    problems = check_map(text, courses, language)

    assert f"course {other.directory}: [{language.simulation_mark}: `{simulation}`] is not a block of this kind in the course" in problems


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_unknown_unit_reported(code, courses):
    language = LANGUAGES[code]
    course = courses[0]
    text = map_text(code)
    heading = re.search(r"^## .*\(`" + re.escape(course.directory) + r"`\)\s*$", text, re.MULTILINE)
    text = text[:heading.end()] + "\nBài đã xóa (`bai_khong_con_nua`)\n" + text[heading.end():]

    problems = check_map(text, courses, language)

    assert f"course {course.directory}: `bai_khong_con_nua` is not a unit (vertical url_name) of the course" in problems


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_renamed_unit_reported(code, courses):
    language = LANGUAGES[code]
    course = courses[0]
    url_name, display_name = sorted(course.units.items())[0]
    text = map_text(code).replace(f"{display_name} (`{url_name}`)", f"Tên cũ (`{url_name}`)")

    problems = check_map(text, courses, language)

    assert f"course {course.directory}: unit `{url_name}` must be written as '{display_name} (`{url_name}`)'" in problems


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_missing_course_section_reported(code, courses):
    language = LANGUAGES[code]
    course = courses[-1]
    text = map_text(code).replace(f"(`{course.directory}`)", "(`khoa-hoc-khac`)")

    problems = check_map(text, courses, language)

    assert f"course {course.directory}: no '## ... (`{course.directory}`)' section" in problems
    assert "section `khoa-hoc-khac`: no such course in course_exports/" in problems


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_wrong_summary_number_reported(code, courses):
    language = LANGUAGES[code]
    course = courses[0]
    rows = summary_rows(map_text(code), language)
    row = next(row for row in rows if f"`{course.directory}`" in row[0])
    wrong_units = len(course.units) + 1
    edited_row = "| " + " | ".join([row[0], row[1], str(wrong_units)] + row[3:]) + " |"
    original_row = "| " + " | ".join(row) + " |"
    text = map_text(code)
    assert original_row in text, "summary rows must be written with single spaces around cells"
    text = text.replace(original_row, edited_row)

    problems = check_map(text, courses, language)

    assert any(problem.startswith(f"summary row {course.directory}, column") and f"give {len(course.units)}" in problem
               for problem in problems), problems


@pytest.mark.parametrize("code", sorted(LANGUAGES))
def test_wrong_total_reported(code, courses):
    language = LANGUAGES[code]
    rows = summary_rows(map_text(code), language)
    total_row = rows[-1]
    total_questions = sum(course.questions for course in courses)
    edited = total_row[:5] + [f"**{total_questions + 3}**"] + total_row[6:]
    text = map_text(code).replace("| " + " | ".join(total_row) + " |", "| " + " | ".join(edited) + " |")

    problems = check_map(text, courses, language)

    assert any(problem.startswith("summary totals row") and f"give {total_questions}" in problem for problem in problems), problems


def test_missing_outcome_row_reported(courses):
    course = first_course_with(courses, "outcomes")
    text = map_text("en")
    section = course_sections(text)[course.directory]
    last = len(course.outcomes)
    edited_section = re.sub(rf"^\| O{last} \|.*\n", "", section, flags=re.MULTILINE)
    text = text.replace(section, edited_section)

    problems = check_map(text, courses, LANGUAGES["en"])

    assert any(problem.startswith(f"course {course.directory}: outcome rows") for problem in problems), problems


def test_changed_outcome_reported(courses):
    course = first_course_with(courses, "outcomes")
    outcome = course.outcomes[0]
    text = map_text("vi").replace(outcome, outcome[: len(outcome) // 2] + "…")

    problems = check_map(text, courses, LANGUAGES["vi"])

    assert f"course {course.directory}: outcome not quoted word for word: {outcome!r}" in problems


def test_overview_outcomes_parsed():
    overview = """<section class="about"><ul><li>not an outcome</li></ul></section>
<section class="outcomes"><h2>Sau khóa học</h2><ul><li>Một  kỹ năng
 đầu tiên.</li><li>Hai <strong>kỹ năng</strong>.</li></ul></section>"""

    assert overview_outcomes(overview) == ["Một kỹ năng đầu tiên.", "Hai kỹ năng."]
    assert overview_outcomes("<section class='about'><p>Không có mục tiêu.</p></section>") == []
    assert overview_outcomes("") == []
