"""Teach the digit model your handwriting: say what a misread digit was, then adapt the model."""
