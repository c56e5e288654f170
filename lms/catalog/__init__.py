"""The catalog: courses, their versions and modules, and the public listings."""
