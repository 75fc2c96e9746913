"""The ``egov_simulation`` XBlock: a graded, fictional replica of an online public-service procedure."""

from __future__ import annotations

from xblock.core import XBlock

from digital_skills_xblocks.common.i18n import I18nMixin

from .mixins.fields import EgovFieldsMixin
from .mixins.handlers import EgovHandlersMixin
from .mixins.olx import EgovOlxMixin
from .mixins.scoring import EgovScoringMixin
from .mixins.state import EgovStateMixin
from .mixins.studio import EgovStudioMixin
from .mixins.views import EgovViewsMixin


@XBlock.wants("user")
@XBlock.needs("i18n")
class EgovSimulationBlock(
    EgovFieldsMixin,
    EgovOlxMixin,
    EgovStateMixin,
    EgovScoringMixin,
    EgovHandlersMixin,
    EgovStudioMixin,
    EgovViewsMixin,
    I18nMixin,
    XBlock,
):
    """Composes the mixins; the scenario model, step engine and scoring live in the pure modules of ``egov``."""

    has_score = True
    icon_class = "problem"
    multi_device = True
    show_in_read_only_mode = True
