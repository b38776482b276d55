"""Blank forms as the notice prints them (.xlsx and .docx), for `mailbot templates` and the demo."""
