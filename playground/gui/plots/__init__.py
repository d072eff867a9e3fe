"""The live plots of a run: loss per step, per epoch, accuracy, learning rate; markers, smoothing, export."""
