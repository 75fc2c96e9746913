"""common.resources.compact: the scripts and styles learners download lose comment lines, not code."""

import pytest

from digital_skills_xblocks.common.resources import compact, load_compact, load_text

SCRIPT = '''/* The block's script.
 * Second line of the header. */
function Block(runtime, element) {
    "use strict";
    // A whole-line comment.
    var url = "https://example.invalid/a"; // a trailing comment stays
    /* one line */ var kept = 1;
    var slashes = "// not a comment";

    return url + kept + slashes;
}
'''


def test_whole_line_comments_and_indentation_go():
    lines = compact(SCRIPT, "js").splitlines()

    assert lines == [
        "function Block(runtime, element) {",
        '"use strict";',
        'var url = "https://example.invalid/a"; // a trailing comment stays',
        "/* one line */ var kept = 1;",
        'var slashes = "// not a comment";',
        "return url + kept + slashes;",
        "}",
    ]


def test_css_keeps_double_slashes():
    css = "/* header */\n.a {\n  background: url(https://example.invalid/x.png);\n}\n"

    assert compact(css, "css") == ".a {\nbackground: url(https://example.invalid/x.png);\n}\n"


def test_comment_end_then_code_is_kept():
    code = "/* a */ var first = 1;\n/* b */\nvar second = 2;\n"

    assert compact(code, "js") == "/* a */ var first = 1;\nvar second = 2;\n"


def test_unknown_language_raises():
    with pytest.raises(ValueError, match="unknown language"):
        compact("x", "html")


@pytest.mark.parametrize("path", [
    "egov/static/js/egov_simulation.js", "quiz/static/js/quiz.js", "common/static/js/studio_editor.js",
    "egov/static/css/egov_simulation.css", "quiz/static/css/quiz.css", "common/static/css/studio_editor.css",
])
def test_shipped_files_shrink_and_keep_code_lines(path):
    original, compacted = load_text(path), load_compact(path)
    assert len(compacted) < len(original)

    code_lines = [line.strip() for line in compacted.splitlines()]
    original_lines = [line.strip() for line in original.splitlines()]
    position = 0
    for line in code_lines:
        position = original_lines.index(line, position) + 1
