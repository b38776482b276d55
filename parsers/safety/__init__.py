"""Cheap, bounded checks before any real parser: real file type, zip and OLE guards, linear XML scans, limits."""
