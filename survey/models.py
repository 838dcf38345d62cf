"""Models of the survey app arrive with its issue."""
