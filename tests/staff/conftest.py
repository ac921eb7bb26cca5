import pytest

from tests.staff import helpers


@pytest.fixture
def cntt(db):
    return helpers.department("CNTT", "Khoa Công nghệ thông tin")


@pytest.fixture
def ck(db):
    return helpers.department("CK", "Khoa Cơ khí")


@pytest.fixture
def teacher_staff(teacher, cntt):
    """The `teacher` persona's own staff record."""
    return helpers.staff("GV0001", dept=cntt, user=teacher, full_name="Nguyễn Văn Hùng")


@pytest.fixture
def other_staff(other_teacher, cntt):
    return helpers.staff("GV0002", dept=cntt, user=other_teacher, full_name="Hoàng Thị Lan",
                         gender="female")
