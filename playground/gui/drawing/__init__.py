"""The drawing panel: draw a digit, see what the network thinks."""
