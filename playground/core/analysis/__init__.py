"""What a trained model's answers say: confusion matrices, per-class accuracy, its mistakes (numpy, Qt-free)."""
