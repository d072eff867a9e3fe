"""Views into a run and its model: each subscribes to the session model and draws what it is told."""
