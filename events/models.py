"""Models of the events app arrive with its issue."""
