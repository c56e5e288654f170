"""Completion review: every completed course is checked against its evidence, and flagged
completions wait for a programme admin's decision before a certificate follows."""
