"""Using a trained model: MNIST-style preprocessing of drawings and a predictor with its own weights."""
