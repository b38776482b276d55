"""The campaigns package."""
