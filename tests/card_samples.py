"""Small inputs that fit each layer card, for tests that build every card."""

# A small input that fits each layer, by its number of spatial dimensions; sequences otherwise.
SAMPLE_SHAPES = {"1D": (8, 3), "2D": (8, 8, 3), "3D": (6, 6, 6, 3)}
SPECIAL_SHAPES = {
    "layer_RepeatVector": (8,),
    "layer_ActivityRegularization": (8,),
    "layer_Embedding": (5,),
    "layer_TimeDistributed": (5, 3, 4),  # the wrapped LSTM sees (3, 4) at each of the 5 steps
    "layer_ConvLSTM1D": (3, 8, 3),  # sequences of grids: steps first
    "layer_ConvLSTM2D": (3, 6, 6, 2),
    "layer_ConvLSTM3D": (2, 4, 4, 4, 2),
    "layer_GroupNormalization": (5, 32),  # 32 groups by default: as many channels
    "layer_LayerScale": (5, 96),  # one factor per channel, 96 by default
}
IMAGES = (36, 36, 3)  # above the 32x32 that crops and resizings make by default


def sample_shape(spec):
    if spec.id in SPECIAL_SHAPES:
        return SPECIAL_SHAPES[spec.id]
    if "Image preprocessing layers" in spec.category or "Image augmentation layers" in spec.category:
        return IMAGES
    return next((shape for dims, shape in SAMPLE_SHAPES.items() if dims in spec.id), (5, 4))


def tensor_ports(spec):
    """Each tensor port once, a list port (merges of any number) twice."""
    return [port for port in spec.tensor_inputs for _ in range(2 if port.is_list else 1)]
