"""My classes: name classes, draw examples of each, train, and the Draw panel reads them."""
