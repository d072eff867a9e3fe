"""What a model has learned, computed from a model of our own (never the training one): Qt-free."""
