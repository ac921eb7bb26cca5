"""The default competency framework: the six DigCompEdu areas on levels A1–C2.

Neither REGULATIONS.md nor the domain data gives a Vietnamese framework for VET
teachers' digital competence, so the college starts from the European Framework for
the Digital Competence of Educators (DigCompEdu, JRC 2017) — see docs/staff.md.
The data are copied here (a migration never reads files that may change later).
"""

from django.db import migrations

CODE = "DigCompEdu"

AREAS = [
    (1, "Cam kết nghề nghiệp", "Professional engagement",
     "Sử dụng công nghệ số để giao tiếp, cộng tác và phát triển chuyên môn của nhà giáo."),
    (2, "Tài nguyên số", "Digital resources",
     "Tìm kiếm, tạo mới, chỉnh sửa, chia sẻ và bảo vệ tài nguyên số phục vụ dạy học."),
    (3, "Dạy và học", "Teaching and learning",
     "Quản lý và điều phối việc sử dụng công nghệ số trong dạy học, hướng dẫn và học tập "
     "hợp tác."),
    (4, "Kiểm tra, đánh giá", "Assessment",
     "Sử dụng công nghệ và dữ liệu số để kiểm tra, đánh giá, phản hồi và lập kế hoạch."),
    (5, "Trao quyền cho người học", "Empowering learners",
     "Dùng công nghệ số để bảo đảm khả năng tiếp cận, cá nhân hóa việc học và khuyến khích "
     "người học chủ động."),
    (6, "Phát triển năng lực số của người học", "Facilitating learners' digital competence",
     "Giúp người học sử dụng công nghệ số một cách sáng tạo, an toàn và có trách nhiệm."),
]

LEVELS = [
    ("A1", 1, "Người mới bắt đầu", "Newcomer",
     "Ít sử dụng công nghệ số trong dạy học; cần được hướng dẫn và khuyến khích."),
    ("A2", 2, "Người khám phá", "Explorer",
     "Nhận thức được tiềm năng của công nghệ số và bắt đầu dùng ở một số hoạt động."),
    ("B1", 3, "Người tích hợp", "Integrator",
     "Thử nghiệm công nghệ số trong nhiều tình huống, cho nhiều mục đích khác nhau."),
    ("B2", 4, "Chuyên gia", "Expert",
     "Dùng công nghệ số tự tin, sáng tạo và có phản biện để nâng cao hoạt động nghề nghiệp."),
    ("C1", 5, "Người dẫn dắt", "Leader",
     "Có nhiều chiến lược số linh hoạt, chia sẻ kinh nghiệm và hỗ trợ đồng nghiệp."),
    ("C2", 6, "Người tiên phong", "Pioneer",
     "Đặt câu hỏi với thực tiễn hiện hành, đổi mới và dẫn dắt việc đổi mới sư phạm số."),
]


def load(apps, schema_editor):
    Framework = apps.get_model("staff", "CompetencyFramework")
    Area = apps.get_model("staff", "CompetencyArea")
    Level = apps.get_model("staff", "CompetencyLevel")
    framework, _ = Framework.objects.update_or_create(
        code=CODE,
        defaults={
            "name": "Khung năng lực số của nhà giáo (DigCompEdu)",
            "name_en": "European Framework for the Digital Competence of Educators "
                       "(DigCompEdu)",
            "description": "Sáu lĩnh vực năng lực, mỗi lĩnh vực được đánh giá theo sáu mức "
                           "từ A1 đến C2 (JRC, Ủy ban châu Âu, 2017).",
            "is_active": not Framework.objects.filter(is_active=True).exclude(code=CODE).exists(),
        },
    )
    for number, name, name_en, description in AREAS:
        Area.objects.update_or_create(
            framework=framework, number=number,
            defaults={"name": name, "name_en": name_en, "description": description},
        )
    for code, rank, name, name_en, description in LEVELS:
        Level.objects.update_or_create(
            framework=framework, code=code,
            defaults={"rank": rank, "name": name, "name_en": name_en,
                      "description": description},
        )


class Migration(migrations.Migration):
    dependencies = [("staff", "0001_staff_records_competency_trainings_courseware")]

    operations = [# Going back leaves the rows: 0001's reversal drops the tables.
        migrations.RunPython(load, migrations.RunPython.noop)]
