"""The .xlsx reader: package parts, shared strings, dates and trivial formulas, into grids."""
