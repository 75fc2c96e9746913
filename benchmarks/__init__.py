"""Side-by-side measurements of our XBlocks against xblock-drag-and-drop-v2 and xblock-poll.

``python -m benchmarks.run`` (``make bench``) runs everything on loopback and
rewrites docs/benchmarks.md. The peer blocks are installed only in
.venv-bench, which the run creates when it is missing.
"""
