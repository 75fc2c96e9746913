"""A tiny XBlock with learner state, for preview tests that must not depend on our real blocks."""

import sys

from web_fragments.fragment import Fragment
from xblock.core import XBlock
from xblock.fields import Integer, Scope, String

BLOCK_TYPE = "preview_counter"


class CounterBlock(XBlock):
    """Counts how often the learner pressed its button (``increment`` handler)."""

    label = String(default="", scope=Scope.content)
    count = Integer(default=0, scope=Scope.user_state)

    def student_view(self, context=None):
        fragment = Fragment(f'<p class="counter">{self.label}: <span class="count">{self.count}</span></p>')
        fragment.add_javascript("function PreviewCounterInit(runtime, element) {}")
        fragment.initialize_js("PreviewCounterInit")
        return fragment

    @XBlock.json_handler
    def increment(self, data, suffix=""):
        self.count += 1
        return {"count": self.count}


def run_cli():
    """Run ``digital-skills`` with the counter block registered (used as a subprocess launcher)."""
    from digital_skills_xblocks.cli import main

    return XBlock.register_temp_plugin(CounterBlock, BLOCK_TYPE)(main)(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(run_cli())
