"""Models of the dashboard app arrive with its issue."""
