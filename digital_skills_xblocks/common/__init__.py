"""Helpers shared by the XBlocks and the OLX tools."""
