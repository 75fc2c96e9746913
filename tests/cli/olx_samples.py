"""Small OLX course exports written into a temporary folder for the CLI, OLX and preview tests."""

import json
import os
import shutil

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COURSE_EXPORTS = os.path.join(REPO_ROOT, "course_exports")
# Studio exports of other courses, kept read-only next to the repository.
REAL_OLX = os.path.join(os.path.dirname(REPO_ROOT), "shared", "real_olx")
EGOV_SCENARIOS = os.path.join(REPO_ROOT, "digital_skills_xblocks", "egov", "scenarios")

GRADING_POLICY = {
    "GRADER": [{"type": "Thực hành", "short_label": "TH", "min_count": 1, "drop_count": 0, "weight": 1.0}],
    "GRADE_CUTOFFS": {"Pass": 0.5},
}


def write(root, relative, text):
    path = os.path.join(str(root), *relative.split("/"))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as target:
        target.write(text)
    return path


def make_course(root, with_simulation=False, advanced_modules=None):
    """Write a valid course with one chapter, one subsection and two units; return its folder."""
    root = str(root)
    write(root, "course.xml", '<course url_name="2026" org="ThuNghiem" course="KN01"/>\n')
    write(root, "course/2026.xml",
          '<course display_name="Khoá học thử">\n  <chapter url_name="chuong_1"/>\n</course>\n')
    write(root, "chapter/chuong_1.xml",
          '<chapter display_name="Chương 1">\n  <sequential url_name="bai_1"/>\n</chapter>\n')
    write(root, "sequential/bai_1.xml",
          '<sequential display_name="Bài 1">\n  <vertical url_name="don_vi_1"/>\n'
          '  <vertical url_name="don_vi_2"/>\n</sequential>\n')
    write(root, "vertical/don_vi_1.xml",
          '<vertical display_name="Giới thiệu">\n  <html url_name="gioi_thieu"/>\n'
          '  <video url_name="video_1"/>\n</vertical>\n')
    write(root, "html/gioi_thieu.xml", '<html filename="gioi_thieu" display_name="Giới thiệu"/>\n')
    write(root, "html/gioi_thieu.html",
          '<h2>Dịch vụ công trực tuyến</h2>\n<p>Xem <img src="/static/hinh.png" alt="Hình minh hoạ"></p>\n'
          '<script>alert("x")</script>\n')
    write(root, "video/video_1.xml", '<video display_name="Video mẫu" youtube_id_1_0="abc"/>\n')
    write(root, "static/hinh.png", "not really a png")
    second = '<vertical display_name="Thực hành">\n  <html url_name="thuc_hanh"/>\n'
    if with_simulation:
        second += '  <egov_simulation url_name="khai_sinh"/>\n'
        os.makedirs(os.path.join(root, "egov_simulation"), exist_ok=True)
        shutil.copy(os.path.join(EGOV_SCENARIOS, "dang_ky_khai_sinh.xml"),
                    os.path.join(root, "egov_simulation", "khai_sinh.xml"))
    write(root, "vertical/don_vi_2.xml", second + "</vertical>\n")
    write(root, "html/thuc_hanh.xml", "<html display_name=\"Thực hành\"><![CDATA[<p>Làm theo các bước.</p>]]></html>\n")
    modules = advanced_modules
    if modules is None:
        modules = ["egov_simulation"] if with_simulation else []
    write(root, "policies/2026/policy.json",
          json.dumps({"course/2026": {"display_name": "Khoá học thử", "advanced_modules": modules,
                                      "language": "vi"}}, ensure_ascii=False, indent=2) + "\n")
    write(root, "policies/2026/grading_policy.json", json.dumps(GRADING_POLICY, ensure_ascii=False, indent=2) + "\n")
    write(root, "about/overview.html", "<section><h2>Giới thiệu khoá học</h2></section>\n")
    return root


QUIZ_QUESTIONS = """\
  <question id="q1" type="single_choice" area="safety" difficulty="easy">
    <prompt><p>Tin nhắn nào có dấu hiệu lừa đảo?</p></prompt>
    <option id="a" correct="true">Tin nhắn đòi mã OTP</option>
    <option id="b">Tin nhắn báo lịch họp tổ dân phố</option>
  </question>
  <question id="q2" type="true_false" area="information" difficulty="easy" answer="false">
    <prompt><p>Mọi đường link trong tin nhắn đều an toàn.</p></prompt>
  </question>
"""


def add_quiz(root, recommendations, url_name="kiem_tra"):
    """Add a citizenship_quiz with the given <recommendation> lines to the second unit; return its file.

    The recommendations start on line 3 of the quiz file, one per line.
    """
    root = str(root)
    lines = ['<citizenship_quiz display_name="Kiểm tra nhanh" draw="2">',
             "  <intro><p>Hai câu hỏi ngắn.</p></intro>",
             *(f"  {line}" for line in recommendations)]
    relative = f"citizenship_quiz/{url_name}.xml"
    write(root, relative, "\n".join(lines) + "\n" + QUIZ_QUESTIONS + "</citizenship_quiz>\n")
    write(root, "vertical/don_vi_2.xml",
          '<vertical display_name="Thực hành">\n  <html url_name="thuc_hanh"/>\n'
          f'  <citizenship_quiz url_name="{url_name}"/>\n</vertical>\n')
    policy_path = os.path.join(root, "policies", "2026", "policy.json")
    with open(policy_path, encoding="utf-8") as policy_file:
        policy = json.load(policy_file)
    modules = policy["course/2026"].setdefault("advanced_modules", [])
    if "citizenship_quiz" not in modules:
        modules.append("citizenship_quiz")
    write(root, "policies/2026/policy.json", json.dumps(policy, ensure_ascii=False, indent=2) + "\n")
    return relative
