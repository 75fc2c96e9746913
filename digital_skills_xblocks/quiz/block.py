"""The ``citizenship_quiz`` XBlock, composed from the quiz mixins."""

from xblock.completable import CompletableXBlockMixin
from xblock.core import XBlock
from xblock.scorable import ScorableXBlockMixin

from digital_skills_xblocks.common.i18n import I18nMixin

from .content import QuizContentMixin
from .handlers import QuizHandlersMixin
from .scenarios import workbench_scenarios
from .state import QuizStateMixin
from .studio import QuizStudioMixin
from .views import QuizViewsMixin


@XBlock.wants("user")
class CitizenshipQuizBlock(
    QuizHandlersMixin,
    QuizStudioMixin,
    QuizViewsMixin,
    QuizStateMixin,
    QuizContentMixin,
    I18nMixin,
    ScorableXBlockMixin,
    CompletableXBlockMixin,
    XBlock,
):
    """A digital-citizenship quiz with a question pool, five question types and a personalised result."""

    has_score = True
    has_custom_completion = True
    multi_device = True
    show_in_read_only_mode = True

    @staticmethod
    def workbench_scenarios():
        return workbench_scenarios()
