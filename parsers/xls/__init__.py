"""The legacy .xls reader (python-calamine), into grids."""
