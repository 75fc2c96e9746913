"""The citizenship_quiz block in the XBlock SDK's WorkbenchRuntime: handlers, grades, events and policies."""

import csv
import io
import json
import re

import pytest
from webob import Request

QUIZ_XML = """<citizenship_quiz display_name="Kiểm tra" draw="4" max_attempts="{max_attempts}" passing_percentage="60"
    show_answers="{show_answers}" allow_reset="{allow_reset}">
  <intro><p>Giới thiệu <script>alert(1)</script></p></intro>
  <recommendation area="safety" unit="unit-scams">Ôn lại bài lừa đảo</recommendation>
  <recommendation area="information" href="https://example.org/du-lieu">Dữ liệu cá nhân</recommendation>
  <question id="sc" type="single_choice" area="safety" difficulty="easy">
    <prompt><p onclick="steal()">Số nào để báo lừa đảo?</p></prompt>
    <option id="a" correct="true">156<feedback>FEEDBACK-RIGHT</feedback></option>
    <option id="b">113<feedback>FEEDBACK-WRONG</feedback></option>
    <explanation source="SOURCE-CITED">EXPLANATION-TEXT</explanation>
  </question>
  <question id="mr" type="multiple_response" area="information" difficulty="medium">
    <prompt>Chọn các quyền</prompt>
    <option id="a" correct="true">Quyền được biết</option>
    <option id="b" correct="true">Quyền xoá dữ liệu</option>
    <option id="c">Quyền bán dữ liệu người khác</option>
  </question>
  <question id="ord" type="ordering" area="problem_solving" difficulty="hard">
    <prompt>Sắp xếp</prompt>
    <item id="i1">Gọi ngân hàng</item><item id="i2">Lưu bằng chứng</item><item id="i3">Trình báo công an</item>
  </question>
  <question id="rf" type="red_flags" area="safety" difficulty="hard">
    <prompt>Đánh dấu phần đáng ngờ</prompt>
    <message kind="email" time="08:00">
      <part id="from" field="sender" suspicious="true">hotro@nganhang-xyz.top</part>
      <part id="subj" field="subject">Thông báo</part>
      <part id="body1" suspicious="true">Nhập mã OTP để nhận quà</part>
      <part id="body2">Chúc quý khách một ngày tốt lành</part>
    </message>
  </question>
</citizenship_quiz>"""

RIGHT_ANSWERS = {"sc": "a", "mr": ["a", "b"], "ord": ["i1", "i2", "i3"], "rf": ["from", "body1"]}
WRONG_ANSWERS = {"sc": "b", "mr": ["c"], "ord": ["i3", "i2", "i1"], "rf": ["subj"]}
# Strings that only appear once answers are revealed.
SECRETS = ("FEEDBACK-RIGHT", "FEEDBACK-WRONG", "EXPLANATION-TEXT", "SOURCE-CITED")

_counter = {"value": 0}


@pytest.fixture(name="events")
def events_fixture(django_db, monkeypatch):
    from workbench.runtime import WorkbenchRuntime

    recorded = []

    def publish(self, block, event_type, event_data):
        recorded.append((event_type, event_data))

    monkeypatch.setattr(WorkbenchRuntime, "publish", publish)
    return recorded


@pytest.fixture(name="make_quiz")
def make_quiz_fixture(django_db):
    """Return a factory: OLX settings -> function(user, staff=False) returning the block for that user."""
    from django.utils import translation
    from workbench.runtime import WorkbenchRuntime

    translation.activate("vi")

    def make(max_attempts=2, show_answers="after_submission", allow_reset="true", xml=None):
        _counter["value"] += 1
        olx = xml or QUIZ_XML.format(max_attempts=max_attempts, show_answers=show_answers, allow_reset=allow_reset)
        usage_id = WorkbenchRuntime("author").parse_xml_string(f"<vertical_demo>{olx}</vertical_demo>")
        parent = WorkbenchRuntime("author").get_block(usage_id)
        quiz_usage = parent.children[0]

        def block_for(user="learner", staff=False):
            runtime = WorkbenchRuntime(user)
            if staff:
                runtime.user_is_staff = True
            return runtime.get_block(quiz_usage)

        return block_for

    yield make
    translation.deactivate()


def call(block, handler, payload=None, method="POST", raw=None):
    body = raw if raw is not None else json.dumps(payload if payload is not None else {}).encode("utf-8")
    request = Request.blank("/", method=method, body=body if method != "GET" else None)
    response = block.runtime.handle(block, handler, request)
    return response.status_code, (json.loads(response.body) if response.content_type == "application/json" else response.body)


def html_of(block):
    return block.runtime.render(block, "student_view").body_html()


def answers_for(block, answers):
    """Keep only the answers to questions drawn for this attempt."""
    drawn = [question["id"] for question in block.state_data()["questions"]]
    return {question_id: answers[question_id] for question_id in drawn}


def persistent_state(block):
    fields = ("attempt", "attempts_used", "layout", "answers", "submitted", "question_scores", "raw_earned", "raw_possible")
    return {name: getattr(block, name) for name in fields}


# Rendering.

def test_student_view_renders_in_vietnamese(make_quiz):
    block = make_quiz()("learner")

    html = html_of(block)

    assert "Câu 1/4" in html
    assert "Nộp bài" in html
    assert "<script>alert" not in html
    assert "onclick" not in html
    assert html.count('data-question-id="') == 4
    assert 'aria-pressed="false"' in html


def test_student_view_uses_english_catalog_for_en(make_quiz):
    from django.utils import translation

    block = make_quiz()("learner")
    with translation.override("en"):
        html = html_of(block)

    assert "Submit answers" in html
    assert "Nộp bài" not in html


def test_ids_are_unique_per_block(make_quiz):
    first = html_of(make_quiz()("learner"))
    second = html_of(make_quiz()("learner"))

    first_ids = set(re.findall(r'\sid="([^"]+)"', first))
    second_ids = set(re.findall(r'\sid="([^"]+)"', second))
    assert first_ids
    assert not first_ids & second_ids


def test_draw_is_stable_across_views(make_quiz):
    block_for = make_quiz()

    first = block_for("learner").state_data()["questions"]
    second = block_for("learner").state_data()["questions"]

    assert [q["id"] for q in first] == [q["id"] for q in second]
    assert [[c["id"] for c in q["choices"]] for q in first] == [[c["id"] for c in q["choices"]] for q in second]


# Answers stay on the server until the policy allows them.

def assert_no_answers(html, state):
    text = json.dumps(state, ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in html
        assert secret not in text
    assert "correct" not in json.dumps(state["questions"])
    assert "suspicious" not in json.dumps(state["questions"])
    assert state["review"] is None
    assert "dsq-right" not in html
    assert "dsq-part-suspicious" not in html


def test_no_answers_before_submission(make_quiz):
    block = make_quiz(show_answers="after_submission")("learner")

    html = html_of(block)
    status, state = call(block, "user_state", method="GET")

    assert status == 200
    assert_no_answers(html, state)
    assert_no_answers(html, block.student_view_data())


def test_after_submission_policy_reveals_after_submit(make_quiz):
    block = make_quiz(show_answers="after_submission")("learner")

    status, response = call(block, "submit", {"answers": answers_for(block, WRONG_ANSWERS)})

    assert status == 200
    assert response["state"]["review"] is not None
    assert "EXPLANATION-TEXT" in response["html"] or "sc" not in response["state"]["review"]
    for question_id, review in response["state"]["review"].items():
        assert review["correct"]


def test_never_policy_never_reveals(make_quiz):
    block_for = make_quiz(show_answers="never", max_attempts=1)
    block = block_for("learner")

    status, response = call(block, "submit", {"answers": answers_for(block, RIGHT_ANSWERS)})

    assert status == 200
    assert_no_answers(response["html"], response["state"])
    block = block_for("learner")
    assert_no_answers(html_of(block), call(block, "user_state", method="GET")[1])


def test_after_last_attempt_policy(make_quiz):
    block_for = make_quiz(show_answers="after_last_attempt", max_attempts=2)
    block = block_for("learner")

    status, first = call(block, "submit", {"answers": answers_for(block, WRONG_ANSWERS)})
    assert status == 200
    assert_no_answers(first["html"], first["state"])

    assert call(block, "reset")[0] == 200
    status, second = call(block, "submit", {"answers": answers_for(block, WRONG_ANSWERS)})
    assert status == 200
    assert second["state"]["review"] is not None
    assert second["state"]["attempts_left"] == 0


def test_after_passing_policy(make_quiz):
    block_for = make_quiz(show_answers="after_passing", max_attempts=3)
    block = block_for("learner")

    status, failed = call(block, "submit", {"answers": answers_for(block, WRONG_ANSWERS)})
    assert status == 200
    assert failed["state"]["result"]["passed"] is False
    assert_no_answers(failed["html"], failed["state"])

    call(block, "reset")
    status, passed = call(block, "submit", {"answers": answers_for(block, RIGHT_ANSWERS)})
    assert passed["state"]["result"]["passed"] is True
    assert passed["state"]["review"] is not None


def test_reset_hides_answers_of_new_attempt(make_quiz):
    block = make_quiz(show_answers="after_submission", max_attempts=3)("learner")
    call(block, "submit", {"answers": answers_for(block, WRONG_ANSWERS)})

    status, response = call(block, "reset")

    assert status == 200
    assert_no_answers(response["html"], response["state"])


# Submission, grade, completion, events.

def test_submit_publishes_grade_completion_and_event(make_quiz, events):
    block_for = make_quiz()
    block = block_for("learner")

    status, response = call(block, "submit", {"answers": answers_for(block, RIGHT_ANSWERS)})

    assert status == 200
    names = [name for name, _data in events]
    assert names == ["grade", "completion", "edx.digitalskills.quiz.submitted"]
    grade = events[0][1]
    assert grade["value"] == 4.0
    assert grade["max_value"] == 4.0
    assert events[1][1] == {"completion": 1.0}
    submitted = events[2][1]
    assert submitted["percent"] == 100
    assert submitted["passed"] is True
    assert submitted["attempt"] == 1
    assert set(submitted["scores"]) == set(RIGHT_ANSWERS)
    assert response["state"]["result"]["percent"] == 100

    reloaded = block_for("learner")
    assert reloaded.submitted is True
    assert reloaded.attempts_used == 1
    assert reloaded.get_score().raw_earned == 4.0
    assert reloaded.has_submitted_answer()


def test_partial_answers_score_partially(make_quiz, events):
    block = make_quiz()("learner")
    answers = {"sc": "a", "mr": ["a"], "ord": ["i2", "i1", "i3"], "rf": ["from", "body1", "body2"]}

    status, response = call(block, "submit", {"answers": answers_for(block, answers)})

    assert status == 200
    scores = {item["id"]: item["score"] for item in response["state"]["result"]["questions"]}
    assert scores == {"sc": 1.0, "mr": 0.5, "ord": pytest.approx(0.3333), "rf": 0.5}
    assert events[0][1]["value"] == pytest.approx(2.3333)


def test_result_has_profile_chart_table_and_recommendations(make_quiz):
    from django.utils import translation

    block = make_quiz()("learner")
    with translation.override("vi"):
        status, response = call(block, "submit", {"answers": answers_for(block, WRONG_ANSWERS)})

    html = response["html"]
    result = response["state"]["result"]
    assert status == 200
    assert "<svg" in html
    assert 'role="img"' in html
    assert "<table" in html
    assert "<caption>" in html
    assert [area["area"] for area in result["profile"]] == ["information", "safety", "problem_solving"]
    assert result["weak_areas"]
    urls = [link["url"] for link in result["recommendations"]]
    assert "/jump_to_id/unit-scams" in urls
    assert "https://example.org/du-lieu" in urls
    assert 'href="/jump_to_id/unit-scams"' in html
    assert "Kết quả của bạn" in html


def test_attempt_limit(make_quiz, events):
    block = make_quiz(max_attempts=1)("learner")
    call(block, "submit", {"answers": answers_for(block, WRONG_ANSWERS)})
    before = persistent_state(block)

    reset_status, reset_body = call(block, "reset")
    submit_status, submit_body = call(block, "submit", {"answers": {}})

    assert reset_status == 403
    assert reset_body["error"]["code"] == "no_attempts_left"
    assert submit_status == 409
    assert persistent_state(block) == before
    assert [name for name, _data in events].count("grade") == 1


def test_reset_starts_new_attempt_and_keeps_grade(make_quiz, events):
    block_for = make_quiz(max_attempts=3)
    block = block_for("learner")
    call(block, "submit", {"answers": answers_for(block, RIGHT_ANSWERS)})

    status, response = call(block, "reset")

    assert status == 200
    assert response["state"]["attempt"] == 2
    assert response["state"]["submitted"] is False
    assert response["state"]["can_submit"] is True
    assert response["state"]["answers"] == {}
    reset_events = [data for name, data in events if name == "edx.digitalskills.quiz.reset"]
    assert reset_events == [{"previous_attempt": 1, "previous_percent": 100, "attempt": 2, "attempts_used": 1}]
    reloaded = block_for("learner")
    assert reloaded.get_score().raw_earned == 4.0
    assert reloaded.attempt == 2


def test_reset_not_allowed_by_setting(make_quiz):
    block = make_quiz(allow_reset="false", max_attempts=3)("learner")
    call(block, "submit", {"answers": {}})
    before = persistent_state(block)

    status, body = call(block, "reset")

    assert status == 403
    assert body["error"]["code"] == "reset_not_allowed"
    assert persistent_state(block) == before


def test_reset_before_submission_rejected(make_quiz):
    block = make_quiz()("learner")

    status, body = call(block, "reset")

    assert status == 409
    assert body["error"]["code"] == "not_submitted"


def test_result_viewed_event_has_fixed_name(make_quiz, events):
    block = make_quiz()("learner")

    early_status, _body = call(block, "result_viewed", {"event_type": "edx.anything"})
    call(block, "submit", {"answers": {}})
    status, _body = call(block, "result_viewed", {"event_type": "grade", "value": 100})

    assert early_status == 409
    assert status == 200
    assert events[-1][0] == "edx.digitalskills.quiz.result_viewed"
    assert events[-1][1] == {"attempt": 1, "percent": 0, "passed": False, "answers_shown": True}
    assert [name for name, _data in events].count("grade") == 1


def test_user_state_handler_for_mobile(make_quiz):
    block = make_quiz()("learner")
    call(block, "submit", {"answers": {}})

    status, state = call(block, "user_state", method="GET")
    data = block.student_view_data()

    assert status == 200
    assert state["submitted"] is True
    assert state["result"]["possible"] == 4.0
    assert set(data["handlers"]) == {"submit", "reset", "result_viewed", "user_state"}
    assert block.multi_device is True


def test_learners_have_separate_state(make_quiz):
    block_for = make_quiz()
    call(block_for("alice"), "submit", {"answers": {}})

    assert block_for("bob").submitted is False
    assert block_for("alice").submitted is True


# Hostile and malformed input.

@pytest.mark.parametrize(
    "raw, status, code",
    [
        (b"{not json", 400, "invalid_json"),
        (b"[1, 2]", 400, "invalid_json"),
        (b"\xff\xfe", 400, "invalid_json"),
        (json.dumps({"answers": "all"}).encode(), 400, "invalid_answers"),
        (json.dumps({}).encode(), 400, "invalid_answers"),
        (json.dumps({"answers": {"zz": "a"}}).encode(), 400, "invalid_answers"),
        (json.dumps({"answers": {"sc": "<script>", "mr": ["a"]}}).encode(), 400, "invalid_answers"),
        (json.dumps({"answers": {"mr": ["a", "a"]}}).encode(), 400, "invalid_answers"),
        (json.dumps({"answers": {"ord": ["i1"]}}).encode(), 400, "invalid_answers"),
        (json.dumps({"answers": {"rf": [{"$gt": ""}]}}).encode(), 400, "invalid_answers"),
        (json.dumps({"answers": {"sc": "a" * 70000}}).encode(), 413, "too_large"),
    ],
)
def test_bad_submit_input_rejected_state_unchanged(make_quiz, events, raw, status, code):
    block_for = make_quiz()
    block = block_for("learner")
    html_of(block)
    block.save()
    before = persistent_state(block_for("learner"))

    got_status, body = call(block, "submit", raw=raw)

    assert got_status == status
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert persistent_state(block_for("learner")) == before
    assert events == []


def test_question_not_drawn_is_rejected(make_quiz):
    block_for = make_quiz(xml=QUIZ_XML.format(max_attempts=2, show_answers="never", allow_reset="true").replace('draw="4"', 'draw="1"'))
    block = block_for("learner")
    drawn = block.state_data()["questions"][0]["id"]
    other = next(question_id for question_id in RIGHT_ANSWERS if question_id != drawn)

    status, body = call(block, "submit", {"answers": {other: RIGHT_ANSWERS[other]}})

    assert status == 400
    assert block_for("learner").submitted is False


def test_get_submit_rejected(make_quiz):
    block = make_quiz()("learner")

    status, body = call(block, "submit", method="GET")

    assert status == 405
    assert body["error"]["code"] == "method_not_allowed"


def test_error_messages_in_vietnamese(make_quiz):
    block = make_quiz()("learner")

    _status, body = call(block, "submit", raw=b"{bad")

    assert body["error"]["message"] == "Yêu cầu không phải là JSON hợp lệ."


# Staff statistics.

def test_staff_stats_and_csv(make_quiz):
    block_for = make_quiz()
    for learner, answers in (("alice", RIGHT_ANSWERS), ("bob", WRONG_ANSWERS), ("carol", WRONG_ANSWERS)):
        block = block_for(learner)
        call(block, "submit", {"answers": answers_for(block, answers)})
    # The learner's answers are stored once, in their own state; the summary holds counters only.
    staff = block_for("teacher", staff=True)

    status, stats = call(staff, "staff_stats", method="GET")
    csv_status, body = call(staff, "stats_csv", method="GET")

    assert status == 200
    rows = {row["id"]: row for row in stats["questions"]}
    assert rows["sc"]["answered"] == 3
    assert rows["sc"]["correct"] == 1
    assert rows["sc"]["correct_rate"] == 33
    assert rows["sc"]["top_wrong_id"] == "b"
    assert rows["sc"]["top_wrong_count"] == 2
    assert csv_status == 200
    table = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert {row["id"] for row in table} == {"sc", "mr", "ord", "rf"}
    assert next(row for row in table if row["id"] == "sc")["top_wrong_text"] == "113"
    assert "dsq-staff" in html_of(staff)
    assert "stats_csv" in html_of(staff)


def test_learner_gets_403_for_stats(make_quiz):
    block = make_quiz()("learner")

    csv_status, csv_body = call(block, "stats_csv", method="GET")
    json_status, json_body = call(block, "staff_stats", method="GET")

    assert csv_status == 403
    assert csv_body["error"]["code"] == "forbidden"
    assert json_status == 403
    assert "dsq-staff" not in html_of(block)


def test_staff_flag_from_lms_user_service(make_quiz):
    block = make_quiz()("learner")
    user = block.runtime.service(block, "user").get_current_user()
    user.opt_attrs["edx-platform.user_is_staff"] = True

    status, _body = call(block, "stats_csv", method="GET")

    assert status == 200


# Content problems.

def test_invalid_content_shows_error_and_rejects_submit(make_quiz):
    xml = QUIZ_XML.format(max_attempts=2, show_answers="never", allow_reset="true").replace('type="single_choice"', 'type="essay"')
    block_for = make_quiz(xml=xml)

    html = html_of(block_for("learner"))
    status, body = call(block_for("learner"), "submit", {"answers": {}})
    staff_html = html_of(block_for("teacher", staff=True))

    assert "dsq-error" in html
    assert "essay" not in html
    assert status == 409
    assert body["error"]["code"] == "quiz_invalid"
    assert "essay" in staff_html


def test_author_view_lists_problems(make_quiz):
    xml = QUIZ_XML.format(max_attempts=2, show_answers="never", allow_reset="true").replace('kind="email"', 'kind="fax"')
    block = make_quiz(xml=xml)("author")

    html = block.runtime.render(block, "author_view").body_html()

    assert "fax" in html


def test_olx_export_round_trip(make_quiz):
    from lxml import etree

    from digital_skills_xblocks.common.safe_xml import parse_xml
    from digital_skills_xblocks.quiz.bank import check_quiz

    block = make_quiz(max_attempts=3)("author")
    node = etree.Element("unknown")
    block.add_xml_to_node(node)
    exported = etree.tostring(node, encoding="unicode")

    original = parse_xml(QUIZ_XML.format(max_attempts=3, show_answers="after_submission", allow_reset="true"))
    assert node.get("max_attempts") == "3"
    assert node.get("draw") == "4"
    assert node.get("show_answers") == "after_submission"
    assert [child.tag for child in node] == [child.tag for child in original]
    assert "Số nào để báo lừa đảo?" in exported
    assert check_quiz(parse_xml(exported)) == []
