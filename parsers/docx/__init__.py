"""The .docx reader: paragraphs and tables into grids, form tables, the plan and contact details."""
