"""OLX import and export: the scenario is the block's content, kept as the author wrote it."""

from __future__ import annotations

import logging

from digital_skills_xblocks.common.safe_xml import UnsafeXMLError

from ..olx import serialize_children, wrap_scenario

log = logging.getLogger(__name__)

# Block fields written as attributes of <egov_simulation>.
ATTRIBUTE_FIELDS = ("display_name", "weight", "max_attempts")


class EgovOlxMixin:
    """``parse_xml`` and ``add_xml_to_node`` so that export writes back what import read."""

    @classmethod
    def parse_xml(cls, node, runtime, keys):
        """Build the block from ``<egov_simulation>``: attributes become settings, children the scenario.

        The scenario is stored even when it is invalid, so the course still
        imports and the block shows the problems instead of failing.
        """
        block = runtime.construct_xblock_from_class(cls, keys)
        for name in ATTRIBUTE_FIELDS:
            value = node.get(name)
            if value is None:
                continue
            try:
                setattr(block, name, block.fields[name].from_string(value))
            except (TypeError, ValueError):
                log.warning("Ignoring the invalid %s attribute %r of %s", name, value, keys.usage_id)
        block.scenario_xml = serialize_children(node)
        return block

    def add_xml_to_node(self, node):
        """Write the settings as attributes and the stored scenario as the children of ``node``."""
        node.tag = self.xml_element_name()
        for name in ATTRIBUTE_FIELDS:
            field = self.fields[name]
            if field.is_set_on(self):
                node.set(name, field.to_string(getattr(self, name)))

        try:
            wrapper = wrap_scenario(self.scenario_xml)
        except UnsafeXMLError:
            # NOTE: content that no longer parses is exported as text so nothing is lost.
            log.error("The stored scenario of %s is not valid XML; exporting it as text", self.scope_ids.usage_id)
            node.text = self.scenario_xml
            return
        node.text = wrapper.text
        for child in list(wrapper):
            node.append(child)
