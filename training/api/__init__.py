"""REST API of training under /api/v1/: programs, modules, classes, sections, teaching
assignments (and semesters).

Thin: reads come from `training.selectors` (a teacher sees only their own sections and the
classes they advise or teach; another teacher's section id answers 404), writes call
`training.services` and need the app's model permissions (the training office).

One submodule per resource; `vetschool.urls` autodiscovers this package, so the routes are
registered here, in the order the API root lists them.
"""

from training.api.calendar import SemesterSerializer, SemesterViewSet
from training.api.classes import ClassInput, ClassSerializer, ClassViewSet, MemberSerializer
from training.api.common import TrainingPermission, TrainingViewSet
from training.api.programs import (
    ModuleFilter,
    ModuleInput,
    ModuleSerializer,
    ModuleViewSet,
    OutcomeSerializer,
    PlanLineInput,
    PlanLineSerializer,
    ProgramDetailSerializer,
    ProgramFilter,
    ProgramInput,
    ProgramSerializer,
    ProgramsReadable,
    ProgramViewSet,
)
from training.api.sections import (
    AssignmentBriefSerializer,
    AssignmentFilter,
    AssignmentInput,
    AssignmentSerializer,
    SectionFilter,
    SectionInput,
    SectionLearnerSerializer,
    SectionSerializer,
    SectionViewSet,
    TeachingAssignmentViewSet,
)
from vetschool.api import router

__all__ = [
    "AssignmentBriefSerializer", "AssignmentFilter", "AssignmentInput", "AssignmentSerializer",
    "ClassInput", "ClassSerializer", "ClassViewSet", "MemberSerializer", "ModuleFilter",
    "ModuleInput", "ModuleSerializer", "ModuleViewSet", "OutcomeSerializer", "PlanLineInput",
    "PlanLineSerializer", "ProgramDetailSerializer", "ProgramFilter", "ProgramInput",
    "ProgramSerializer", "ProgramViewSet", "ProgramsReadable", "SectionFilter", "SectionInput",
    "SectionLearnerSerializer", "SectionSerializer", "SectionViewSet", "SemesterSerializer",
    "SemesterViewSet", "TeachingAssignmentViewSet", "TrainingPermission", "TrainingViewSet",
]

router.register("semesters", SemesterViewSet, basename="semester")
router.register("programs", ProgramViewSet, basename="program")
router.register("modules", ModuleViewSet, basename="module")
router.register("classes", ClassViewSet, basename="class")
router.register("sections", SectionViewSet, basename="section")
router.register("teaching-assignments", TeachingAssignmentViewSet,
                basename="teaching-assignment")
