"""CardGraph -> Keras: the incremental builder of layers, shapes, parameter counts, errors and the live model."""
