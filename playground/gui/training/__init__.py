"""A run off the GUI thread: the worker on its QThread, the launcher that wires it, the throttle on its
signals, its recording in the run store, its thread priority, and the torch warm-up after the first paint."""
