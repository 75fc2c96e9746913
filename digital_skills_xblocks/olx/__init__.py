"""Reading, validating and packing OLX course exports (the directory Studio exports)."""
