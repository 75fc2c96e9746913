"""Tutor plugin that deploys the digital-skills XBlocks, curriculum and branding."""
