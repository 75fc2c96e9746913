# The plugin ships the digital-skills-xblocks release with the same version,
# so the two numbers must stay equal (a test compares them).
__version__ = "0.1.0"
