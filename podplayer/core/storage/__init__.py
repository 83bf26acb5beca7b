"""The SQLite library: the file's lifecycle, its migrations and one repository per table group.

All SQL of the app lives in this package. Import from the modules themselves.
"""
