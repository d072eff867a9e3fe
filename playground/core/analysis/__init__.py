"""What a model has learned and where it fails, computed from a model of our own (never the training one): its
answers (confusion matrices, per-class accuracy, mistakes), decision boundaries, filters, activations and
saliency. Qt-free."""
