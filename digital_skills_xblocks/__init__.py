"""Open edX XBlocks and tools for Vietnam's digital-skills MOOC programme."""

__version__ = "0.1.0"
