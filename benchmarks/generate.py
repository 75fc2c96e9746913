"""OLX made up for the benchmark: simulations and quizzes of a chosen size."""

from __future__ import annotations

PERSONA = (
    '<persona name="Nguyễn Văn Thử" birth_date="01/01/1990" sex="Nam" id_number="000090000001" '
    'address="Số 1, đường Thử, xã Thử Nghiệm, tỉnh Sông Xanh" phone="0900000001" '
    'password="Thu@2026" otp="123456"/>'
)


def simulation_xml(steps: int) -> str:
    """A simulation of ``steps`` steps: a login, ``steps - 2`` trap steps and the result."""
    parts = [f'<egov_simulation display_name="Mô phỏng thử {steps} bước" weight="1" max_attempts="0">',
             "<intro><p>Bản mô phỏng để đo thời gian xử lý.</p></intro>", PERSONA,
             '<step id="dang_nhap" kind="login" title="Đăng nhập">'
             '<feedback field="id_number">Chép đúng số định danh.</feedback>'
             '<feedback field="password">Nhập đúng mật khẩu.</feedback>'
             '<feedback field="otp">Nhập đúng mã OTP.</feedback></step>']
    for number in range(1, steps - 1):
        parts.append(
            f'<step id="bay_{number}" kind="trap" channel="sms" sender="Số lạ" title="Tin nhắn {number}">'
            f"<message><p>Tin nhắn số {number}: bấm link để nhận quà.</p></message>"
            '<action id="bam" correct="false" label="Bấm link">Sai: không bấm link lạ.</action>'
            '<action id="bo_qua" correct="true" label="Bỏ qua và báo cáo">Đúng.</action>'
            "</step>"
        )
    parts.append('<step id="ket_qua" kind="result" status="Đã tiếp nhận" dossier_prefix="TH" title="Xong"/>')
    parts.append("</egov_simulation>")
    return "\n".join(parts)


def quiz_xml(questions: int) -> str:
    """A quiz of ``questions`` single-choice questions, all drawn in every attempt."""
    parts = [f'<citizenship_quiz display_name="Bài kiểm tra thử {questions} câu" draw="{questions}" '
             'weight="1" max_attempts="0" passing_percentage="70" show_answers="after_submission" allow_reset="true">',
             "<intro><p>Bài kiểm tra để đo thời gian xử lý.</p></intro>"]
    for number in range(1, questions + 1):
        parts.append(
            f'<question id="q{number:03d}" type="single_choice" area="safety" difficulty="easy">'
            f"<prompt><p>Câu {number}: có nên đọc mã OTP cho người lạ không?</p></prompt>"
            '<option id="a">Có</option><option id="b" correct="true">Không</option>'
            "<explanation><p>Không ai được hỏi mã OTP của bạn.</p></explanation></question>"
        )
    parts.append("</citizenship_quiz>")
    return "\n".join(parts)
