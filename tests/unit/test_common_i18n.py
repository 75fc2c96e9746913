"""Numbers are written the way the learner's language writes them."""

import pytest

from digital_skills_xblocks.common.i18n import format_number


@pytest.mark.parametrize(
    "value, language, expected",
    [
        (2, "vi", "2"),
        (2.5, "vi", "2,5"),
        (13 / 6, "vi", "2,17"),
        (13 / 6, "en", "2.17"),
        (7.75, "vi-VN", "7,75"),
        (0.0, "en", "0"),
        (-0.001, "vi", "0"),
    ],
)
def test_format_number(value, language, expected):
    assert format_number(value, language) == expected
