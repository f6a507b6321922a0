"""Layer cards beyond the core ones in `cards.py`: convolutions, pooling, reshaping,
normalization, regularization, activations, attention, merging, recurrent layers
and wrappers, in the order of Protopipe's catalog, then the recurrent layers that
Protopipe's Bidirectional card needs (LSTM, GRU, Simple RNN).

One entry per card; small constructors where cards differ only by their number of
spatial dimensions. Where Keras 3 names an argument differently from Protopipe's
port, the port keeps Protopipe's text and `keras_arg` says where the value goes.
"""

from __future__ import annotations

from .cards import layer
from .ports import (
    ACTIVITY_REGULARIZER,
    BIAS_CONSTRAINT,
    BIAS_INITIALIZER,
    BIAS_REGULARIZER,
    DATA_FORMAT,
    FILTERS,
    KERNEL_AND_BIAS_PORTS,
    KERNEL_CONSTRAINT,
    KERNEL_INITIALIZER,
    KERNEL_REGULARIZER,
    PADDING,
    RATE,
    SEED,
    USE_BIAS,
    activation,
    choice,
    constraint,
    flag,
    fraction,
    initializer,
    integer,
    integers,
    layer_input,
    number,
    regularizer,
    tensor_input,
)
from .spec import CALL_LIST, CALL_SELF_ATTENTION, NOT_PASSED

_CONV = ("Layers", "Convolution layers")
_POOLING = ("Layers", "Pooling layers")
_RESHAPING = ("Layers", "Reshaping layers")
_REGULARIZATION = ("Layers", "Regularization layers")
_ACTIVATIONS = ("Layers", "Activation layers")
_NORMALIZATION = ("Layers", "Normalization layers")
_ATTENTION = ("Layers", "Attention layers")
_MERGE = ("Layers", "Merge layers")
_RECURRENT = ("Layers", "Recurrent layers")
_WRAPPERS = ("Layer wrappers",)

# The spatial axes of a 1D, 2D and 3D input, in order.
_AXES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def _axes(dims):
    """ "length", "height and width", "depth, height and width"."""
    *first, last = _AXES[dims]
    return f"{', '.join(first)} and {last}" if first else last


def _data_format(dims):
    """Keras has no data format for 1D cropping, padding and spatial dropout; Protopipe neither."""
    return () if dims == 1 else (DATA_FORMAT,)


def _size(text, dims, default, help):
    """A window size, stride or factor: a positive integer in 1D, a list of `dims` of them otherwise.

    A default of None makes the port optional: left empty, Keras picks the value.
    """
    options = {"optional": True} if default is None else {}
    if dims == 1:
        return integer(text, default, help, minimum=1, **options)
    return integers(text, () if default is None else (default,) * dims, help, minimum=1, lengths=(dims,), **options)


def _kernel(dims):
    return _size("Kernel size", dims, 3, f"The {_axes(dims)} of the window each filter sees.")


def _strides(dims):
    return _size("Strides", dims, 1, f"How far the window moves at each step, along the {_axes(dims)}.")


def _dilation(dims):
    return _size(
        "Dilation rate",
        dims,
        1,
        "Spacing between the cells the window reads; above 1 widens the window without adding weights. "
        "Cannot be above 1 together with strides above 1.",
    )


_DEPTH_MULTIPLIER = integer(
    "Depth multiplier", 1, "How many output channels the depthwise step makes from each input channel.", minimum=1
)
_CAUSAL_PADDING = choice(
    "Padding",
    "valid",
    (
        ("valid", "Valid (no padding)"),
        ("same", "Same (output as long as input / strides)"),
        ("causal", "Causal (step t only sees steps up to t)"),
    ),
    "Valid: no padding, the output shrinks. Same: zeros on both ends keep the length (divided by the strides). "
    "Causal: zeros only at the start, so no output step sees later input steps (for time series).",
)
_DEPTHWISE_INITIALIZER = initializer(
    "Depthwise initializer",
    "initializer_GlorotUniform",
    "How the per-channel (depthwise) kernels start. Unconnected: Glorot uniform.",
)
_POINTWISE_INITIALIZER = initializer(
    "Pointwise initializer",
    "initializer_GlorotUniform",
    "How the 1x1 (pointwise) kernel starts. Unconnected: Glorot uniform.",
)
_DEPTHWISE_REGULARIZER = regularizer("Depthwise regularizer", "Penalty on the depthwise kernels added to the loss.")
_POINTWISE_REGULARIZER = regularizer("Pointwise regularizer", "Penalty on the pointwise kernel added to the loss.")
_DEPTHWISE_CONSTRAINT = constraint(
    "Depthwise constraint", "Constraint applied to the depthwise kernels after each training step."
)
_POINTWISE_CONSTRAINT = constraint(
    "Pointwise constraint", "Constraint applied to the pointwise kernel after each training step."
)


_GROUPS = integer(
    "Groups",
    1,
    "How many groups the input channels are split into, each convolved with its own filters; it must divide "
    "both the input channels and the filters. As many groups as channels: a depthwise convolution.",
    minimum=1,
)


def _conv(dims, transpose=False, groups=False):
    """groups: the Keras 3 card, with the Groups port Protopipe's lacks."""
    name = f"Conv{dims}D{'Transpose' if transpose else ''}"
    extra = ()
    if transpose:
        extra = (
            integers(
                "Output padding",
                (),
                "Extra positions added to one end of each output axis, to pick one of the output sizes a stride "
                "allows; each must be smaller than the stride. Empty: Keras infers it.",
                optional=True,
                minimum=0,
                lengths=(dims,),
            ),
        )
    # Protopipe lists Activation before Use bias in Conv1D and the transposes, after it in Conv2D and Conv3D.
    tail = (USE_BIAS, activation()) if dims > 1 and not transpose else (activation(), USE_BIAS)
    return layer(
        f"{'keras' if groups else 'layer'}_{name}",
        f"Convolution {dims}D{' transpose' if transpose else ''} layer{' (Keras 3)' if groups else ''}",
        _CONV,
        f"keras.layers.{name}",
        (
            FILTERS,
            _kernel(dims),
            _strides(dims),
            _CAUSAL_PADDING if dims == 1 and not transpose else PADDING,
            *extra,
            DATA_FORMAT,
            _dilation(dims),
            *((_GROUPS,) if groups else ()),
            *tail,
            *KERNEL_AND_BIAS_PORTS,
            tensor_input(),
        ),
        "The reverse of a convolution: spreads each input position over a window, e.g. to enlarge images."
        if transpose
        else f"Slides learned filters over the input's {_axes(dims)}; each filter gives one output channel.",
    )


def _separable(dims):
    return layer(
        f"layer_SeparableConv{dims}D",
        f"Separable convolution {dims}D layer",
        _CONV,
        f"keras.layers.SeparableConv{dims}D",
        (
            FILTERS,
            _kernel(dims),
            _strides(dims),
            PADDING,
            DATA_FORMAT,
            _dilation(dims),
            _DEPTH_MULTIPLIER,
            activation(),
            USE_BIAS,
            _DEPTHWISE_INITIALIZER,
            _POINTWISE_INITIALIZER,
            BIAS_INITIALIZER,
            _DEPTHWISE_REGULARIZER,
            _POINTWISE_REGULARIZER,
            BIAS_REGULARIZER,
            ACTIVITY_REGULARIZER,
            _DEPTHWISE_CONSTRAINT,
            _POINTWISE_CONSTRAINT,
            BIAS_CONSTRAINT,
            tensor_input(),
        ),
        "A convolution in two cheaper steps: filters each input channel on its own, then mixes the channels "
        "with a 1x1 convolution.",
    )


_POOLED = {"Average": "average", "Max": "largest value"}


def _pooling(kind, dims):
    """kind: "Average" or "Max"."""
    return layer(
        f"layer_{kind}Pooling{dims}D",
        f"{kind} pooling {dims}D layer",
        _POOLING,
        f"keras.layers.{kind}Pooling{dims}D",
        (
            _size("Pool size", dims, 2, f"The {_axes(dims)} of the window."),
            _size(
                "Strides",
                dims,
                None,
                f"How far the window moves at each step, along the {_axes(dims)}. "
                "Empty: the pool size, so that windows do not overlap.",
            ),
            PADDING,
            DATA_FORMAT,
            tensor_input(),
        ),
        f"Keeps the {_POOLED[kind]} of each window, shrinking the input's {_axes(dims)}.",
    )


_KEEPDIMS = flag(
    "Keepdims",
    False,
    "On: the pooled axes stay, each of size 1, (batch, 1, 1, channels) for an image; off: they are removed.",
)


def _global_pooling(kind, dims, keepdims=False):
    """kind: "Average" or "Max". keepdims: the Keras 3 card, with the Keepdims port Protopipe's lacks."""
    return layer(
        f"{'keras' if keepdims else 'layer'}_Global{kind}Pooling{dims}D",
        f"Global {kind.lower()} pooling {dims}D layer{' (Keras 3)' if keepdims else ''}",
        _POOLING,
        f"keras.layers.Global{kind}Pooling{dims}D",
        (DATA_FORMAT, *((_KEEPDIMS,) if keepdims else ()), tensor_input()),
        f"Keeps the {_POOLED[kind]} of each channel over the whole {_axes(dims)}: "
        "(batch, ..., channels) becomes (batch, channels)"
        + (", or keeps those axes with size 1." if keepdims else "."),
    )


# Cropping and zero padding: title, Keras argument, what the ports do, the card's help.
_EDGES = {
    "Cropping": ("Cropping", "cropping", "cut off", "Cuts positions off the ends of the input's {axes}."),
    "ZeroPadding": ("Zero padding", "padding", "add as zeros", "Adds zeros around the input's {axes}."),
}


def _edges(name, dims, default):
    """Protopipe's per-end ports ("At the beginning of dimension 1", ...) feed Keras' nested
    argument: argument[0|1] in 1D, argument[dimension][0|1] in 2D and 3D."""
    title, argument, verb, help = _EDGES[name]
    if dims == 1:
        ports = tuple(
            integer(
                f"At the {end}",
                default,
                f"How many steps to {verb} at the {end} of the sequence.",
                minimum=0,
                keras_arg=(argument, index),
            )
            for index, end in enumerate(("beginning", "end"))
        )
    else:
        ports = tuple(
            integer(
                f"At the {end} of dimension {dimension + 1}",
                default,
                f"How many positions to {verb} at the {end} of the {axis} (spatial dimension {dimension + 1}).",
                minimum=0,
                keras_arg=(argument, dimension, index),
            )
            for dimension, axis in enumerate(_AXES[dims])
            for index, end in enumerate(("beginning", "end"))
        )
    return layer(
        f"layer_{name}{dims}D",
        f"{title} {dims}D layer",
        _RESHAPING,
        f"keras.layers.{name}{dims}D",
        (*ports, *_data_format(dims), tensor_input()),
        help.format(axes=_axes(dims)),
    )


_INTERPOLATION = choice(
    "Interpolation",
    "nearest",
    (
        ("nearest", "Nearest"),
        ("bilinear", "Bilinear"),
        ("bicubic", "Bicubic"),
        ("lanczos3", "Lanczos 3"),
        ("lanczos5", "Lanczos 5"),
        ("area", "Area"),
    ),
    "How the new pixels are filled: Nearest copies the closest pixel; the others blend neighbouring pixels.",
)


def _upsampling(dims):
    return layer(
        f"layer_UpSampling{dims}D",
        f"Up sampling {dims}D layer",
        _RESHAPING,
        f"keras.layers.UpSampling{dims}D",
        (
            _size("Size", dims, 2, f"How many times each position is repeated, along the {_axes(dims)}."),
            *_data_format(dims),
            *((_INTERPOLATION,) if dims == 2 else ()),
            tensor_input(),
        ),
        f"Enlarges the input's {_axes(dims)} by repeating its values.",
    )


def _spatial_dropout(dims):
    return layer(
        f"layer_SpatialDropout{dims}D",
        f"Spatial dropout {dims}D layer",
        _REGULARIZATION,
        f"keras.layers.SpatialDropout{dims}D",
        (RATE, *_data_format(dims), tensor_input()),
        "During training, drops whole channels (feature maps) at random instead of single values; does nothing in use.",
    )


_CAUSAL = flag(
    "Causal",
    False,
    "Whether each step may only look at itself and earlier steps, as when a sequence is generated step by step.",
    keras_arg=("use_causal_mask",),
    call_arg=True,
)


def _attention(name, title, use_scale, scores):
    return layer(
        f"layer_{name}",
        title,
        _ATTENTION,
        f"keras.layers.{name}",
        (
            flag("Use scale", use_scale, "Whether the layer learns a factor for the attention scores."),
            _CAUSAL,
            fraction("Dropout", 0.0, "Fraction of the attention weights dropped during training."),
            tensor_input(
                "Input",
                "A sequence (batch, steps, features); it is both the query and the value, so each step looks at "
                "every step of the same sequence.",
            ),
        ),
        f"Self-attention with {scores} scores: each step becomes a weighted mix of the sequence's steps.",
        call=CALL_SELF_ATTENTION,
    )


def _merge(name, help, own=()):
    return layer(
        f"mergeLayer2_{name}",
        f"{name} layer (2 inputs)",
        _MERGE,
        f"keras.layers.{name}",
        (*own, tensor_input("Input A", "The first tensor."), tensor_input("Input B", "The second tensor.")),
        help,
        call=CALL_LIST,
    )


_RECURRENT_ACTIVATION = activation(
    "sigmoid", "Recurrent activation", "The function applied to the gates, which decide what the state keeps."
)
_RECURRENT_INITIALIZER = initializer(
    "Recurrent initializer", "initializer_Orthogonal", "How the state-to-state weights start. Unconnected: orthogonal."
)
_UNIT_FORGET_BIAS = flag(
    "Unit forget bias", True, "Whether the forget gate's bias starts at 1, which helps keep long memories."
)
_RECURRENT_REGULARIZER = regularizer(
    "Recurrent regularizer", "Penalty on the state-to-state weights added to the loss."
)
_RECURRENT_CONSTRAINT = constraint(
    "Recurrent constraint", "Constraint applied to the state-to-state weights after each training step."
)


def _recurrent(name, title, help):
    """LSTM and GRU have gates (a recurrent activation); only LSTM has a forget gate bias."""
    gates = () if name == "SimpleRNN" else (_RECURRENT_ACTIVATION,)
    forget_bias = (_UNIT_FORGET_BIAS,) if name == "LSTM" else ()
    return layer(
        f"layer_{name}",
        title,
        _RECURRENT,
        f"keras.layers.{name}",
        (
            integer("Units", 32, "Size of the layer's state, which is also its output at each step.", minimum=1),
            activation("tanh", help="The function applied to the new state (and output) at each step."),
            *gates,
            USE_BIAS,
            KERNEL_INITIALIZER,
            _RECURRENT_INITIALIZER,
            BIAS_INITIALIZER,
            *forget_bias,
            KERNEL_REGULARIZER,
            _RECURRENT_REGULARIZER,
            BIAS_REGULARIZER,
            ACTIVITY_REGULARIZER,
            KERNEL_CONSTRAINT,
            _RECURRENT_CONSTRAINT,
            BIAS_CONSTRAINT,
            fraction("Dropout", 0.0, "Fraction of the input values dropped during training."),
            fraction("Recurrent dropout", 0.0, "Fraction of the state values dropped during training."),
            flag(
                "Return sequences",
                False,
                "On: the output has one state per step (batch, steps, units), as the next recurrent layer needs. "
                "Off: only the last state (batch, units).",
            ),
            flag("Go backwards", False, "Whether to read the sequence from its end to its start."),
            tensor_input("Input", "A sequence: (batch, steps, features)."),
        ),
        help,
    )


_BETA_GAMMA_PORTS = (
    regularizer("Beta regularizer", "Penalty on the offset (beta) added to the loss."),
    regularizer("Gamma regularizer", "Penalty on the factor (gamma) added to the loss."),
    constraint("Beta constraint", "Constraint applied to the offset (beta) after each training step."),
    constraint("Gamma constraint", "Constraint applied to the factor (gamma) after each training step."),
)
_BETA_INITIALIZER = initializer(
    "Beta initializer", "initializer_Zeros", "How the offset (beta) starts. Unconnected: zeros."
)
_GAMMA_INITIALIZER = initializer(
    "Gamma initializer", "initializer_Ones", "How the factor (gamma) starts. Unconnected: ones."
)
_EPSILON = number(
    "Epsilon", 0.001, "Small number added to the variance so that it is never divided by zero.", minimum=0.0
)
_CENTER = flag("Center", True, "Whether to learn an offset (beta) added after normalizing.")
_SCALE = flag("Scale", True, "Whether to learn a factor (gamma) applied after normalizing.")

LAYERS = (
    layer(
        "layer_Activation",
        "Activation layer",
        ("Layers",),
        "keras.layers.Activation",
        (
            activation(
                "relu", help="The function applied to every value. Starts at ReLU: Linear would change nothing."
            ),
            tensor_input(),
        ),
        "Applies an activation function to every value of its input.",
    ),
    layer(
        "layer_ActivityRegularization",
        "Activity regularization layer",
        _REGULARIZATION,
        "keras.layers.ActivityRegularization",
        (
            number("L1", 0.0, "Factor of the penalty L1 x sum(|x|) on the input; 0 disables it.", minimum=0.0),
            number("L2", 0.0, "Factor of the penalty L2 x sum(x^2) on the input; 0 disables it.", minimum=0.0),
            tensor_input(),
        ),
        "Passes its input through unchanged and adds a penalty on its size to the loss.",
    ),
    _attention("AdditiveAttention", "Additive attention layer", True, "additive (Bahdanau-style)"),
    layer(
        "layer_AlphaDropout",
        "Alpha dropout layer",
        _REGULARIZATION,
        "keras.layers.AlphaDropout",
        (RATE, SEED, tensor_input()),
        "Dropout for SELU networks: drops values during training while keeping the mean and variance of the input.",
    ),
    _attention("Attention", "Attention layer", False, "dot-product (Luong-style)"),
    _pooling("Average", 1),
    _pooling("Average", 2),
    _pooling("Average", 3),
    layer(
        "layer_BatchNormalization",
        "Batch normalization layer",
        _NORMALIZATION,
        "keras.layers.BatchNormalization",
        (
            integer("Axis", -1, "The features axis, usually the channels; -1 is the last axis."),
            number(
                "Momentum",
                0.99,
                "How much of the moving mean and variance is kept at each batch: close to 1, they change slowly.",
                minimum=0.0,
                maximum=1.0,
            ),
            _EPSILON,
            _CENTER,
            _SCALE,
            _BETA_INITIALIZER,
            _GAMMA_INITIALIZER,
            initializer(
                "Moving mean initializer", "initializer_Zeros", "How the moving mean starts. Unconnected: zeros."
            ),
            initializer(
                "Moving variance initializer", "initializer_Ones", "How the moving variance starts. Unconnected: ones."
            ),
            *_BETA_GAMMA_PORTS,
            tensor_input(),
        ),
        "Brings each feature to mean 0 and variance 1, using the batch in training and moving averages in use.",
    ),
    layer(
        "layer_Bidirectional",
        "Bidirectional layer wrapper",
        _WRAPPERS,
        "keras.layers.Bidirectional",
        (
            layer_input(
                "Layer",
                "The recurrent layer to run both ways: connect an LSTM, GRU or Simple RNN card's Layer instance.",
            ),
            choice(
                "Merge mode",
                "concat",
                (
                    ("concat", "Concatenate"),
                    ("sum", "Sum"),
                    ("mul", "Multiply"),
                    ("ave", "Average"),
                ),
                "How the forward and backward outputs are combined into the card's one Output.",
            ),
            tensor_input("Input", "A sequence: (batch, steps, features)."),
        ),
        "Runs a recurrent layer over the sequence forwards and backwards and combines both outputs.",
    ),
    _conv(1),
    _conv(2),
    _conv(2, transpose=True),
    _conv(3),
    _conv(3, transpose=True),
    _edges("Cropping", 1, 1),
    _edges("Cropping", 2, 0),
    _edges("Cropping", 3, 1),
    layer(
        "layer_DepthwiseConv2D",
        "Depthwise convolution 2D layer",
        _CONV,
        "keras.layers.DepthwiseConv2D",
        (
            _kernel(2),
            _strides(2),
            PADDING,
            _DEPTH_MULTIPLIER,
            DATA_FORMAT,
            _dilation(2),
            activation(),
            USE_BIAS,
            _DEPTHWISE_INITIALIZER,
            BIAS_INITIALIZER,
            _DEPTHWISE_REGULARIZER,
            BIAS_REGULARIZER,
            ACTIVITY_REGULARIZER,
            _DEPTHWISE_CONSTRAINT,
            BIAS_CONSTRAINT,
            tensor_input(),
        ),
        "Filters each input channel with its own kernels, without mixing the channels.",
    ),
    layer(
        "layer_Dropout",
        "Dropout layer",
        _REGULARIZATION,
        "keras.layers.Dropout",
        (
            RATE,
            integers(
                "Noise shape",
                (),
                "Shape of the random drop mask, batch axis first, one entry per input axis; an entry of 1 shares "
                "the mask along that axis, None takes the input's size: (None, 1, 8) on (batch, steps, 8) drops "
                "the same features at every step. Empty: every value is dropped on its own.",
                optional=True,
                minimum=1,
                none_entries=True,
            ),
            SEED,
            tensor_input(),
        ),
        "During training, sets a random fraction of the values to 0 and scales up the others; does nothing in use.",
    ),
    layer(
        "layer_ELU",
        "ELU layer",
        _ACTIVATIONS,
        "keras.layers.ELU",
        (number("Alpha", 1.0, "Scale of the negative side: a negative x gives alpha x (e^x - 1)."), tensor_input()),
        "Exponential linear unit: x for positive x, a smooth curve down to -alpha for negative x.",
    ),
    layer(
        "layer_Embedding",
        "Embedding layer",
        ("Layers",),
        "keras.layers.Embedding",
        (
            integer("Input dim", 1000, "Size of the vocabulary: the largest integer in the input, plus 1.", minimum=1),
            integer("Output dim", 16, "Length of the vector each integer becomes.", minimum=1),
            initializer(
                "Embeddings initializer",
                "initializer_GlorotUniform",
                "How the vectors start. Unconnected: Glorot uniform (Protopipe's choice; Keras 3 alone would use "
                "uniform values in -0.05 to 0.05).",
            ),
            ACTIVITY_REGULARIZER,
            constraint("Embeddings constraint", "Constraint applied to the vectors after each training step."),
            flag("Mask zero", False, "Whether 0 marks padding, to be skipped by later layers that support masks."),
            integer(
                "Input length",
                None,
                "Length of the input sequences. Keras 3 reads it from the input and has no such argument; "
                "when set, the card checks that the input has this length.",
                optional=True,
                minimum=1,
                keras_arg=NOT_PASSED,
            ),
            tensor_input("Input", "Integers, e.g. word or category numbers: (batch, steps)."),
        ),
        "Turns each integer (a word, a category) into a learned vector.",
    ),
    layer(
        "layer_GaussianDropout",
        "Gaussian dropout layer",
        _REGULARIZATION,
        "keras.layers.GaussianDropout",
        (RATE, tensor_input()),
        "During training, multiplies each value by random noise of mean 1; does nothing in use.",
    ),
    layer(
        "layer_GaussianNoise",
        "Gaussian noise layer",
        _REGULARIZATION,
        "keras.layers.GaussianNoise",
        (
            number("Stddev", 0.1, "Standard deviation of the noise, from 0 to 1.", minimum=0.0, maximum=1.0),
            tensor_input(),
        ),
        "During training, adds random noise of mean 0 to each value; does nothing in use.",
    ),
    _global_pooling("Average", 1),
    _global_pooling("Average", 2),
    _global_pooling("Average", 3),
    _global_pooling("Max", 1),
    _global_pooling("Max", 2),
    _global_pooling("Max", 3),
    layer(
        "layer_LayerNormalization",
        "Layer normalization layer",
        _NORMALIZATION,
        "keras.layers.LayerNormalization",
        (
            integers(
                "Axes",
                (-1,),
                "The axes each sample is normalized over; -1 is the last axis.",
                keras_arg=("axis",),
                collapse_single=True,
            ),
            _EPSILON,
            _CENTER,
            _SCALE,
            _BETA_INITIALIZER,
            _GAMMA_INITIALIZER,
            *_BETA_GAMMA_PORTS,
            tensor_input(),
        ),
        "Brings each sample on its own to mean 0 and variance 1 over the given axes.",
    ),
    layer(
        "layer_LeakyReLU",
        "Leaky ReLU layer",
        _ACTIVATIONS,
        "keras.layers.LeakyReLU",
        (
            number(
                "Alpha",
                0.3,
                "Slope for negative inputs, at least 0 (Keras 3 calls it negative slope).",
                minimum=0.0,
                keras_arg=("negative_slope",),
            ),
            tensor_input(),
        ),
        "x for positive x, alpha x for negative x: a ReLU that lets a little of the negative side through.",
    ),
    layer(
        "layer_Masking",
        "Masking layer",
        ("Layers",),
        "keras.layers.Masking",
        (
            number("Mask value", 0.0, "Steps whose features all equal this value are skipped by later layers."),
            tensor_input(),
        ),
        "Marks the padding steps of a sequence so that later layers, such as recurrent ones, skip them.",
    ),
    _pooling("Max", 1),
    _pooling("Max", 2),
    _pooling("Max", 3),
    layer(
        "layer_PReLU",
        "Parametric ReLU layer",
        _ACTIVATIONS,
        "keras.layers.PReLU",
        (
            initializer(
                "Alpha initializer", "initializer_Zeros", "How the learned negative slopes start. Unconnected: zeros."
            ),
            regularizer("Alpha regularizer", "Penalty on the slopes added to the loss."),
            constraint("Alpha constraint", "Constraint applied to the slopes after each training step."),
            integers(
                "Shared axes",
                (),
                "Axes (numbered from 1, after the batch axis) along which one slope is shared, e.g. 1, 2 for one "
                "slope per channel of an image. Empty: one slope per value.",
                optional=True,
                minimum=1,
            ),
            tensor_input(),
        ),
        "A leaky ReLU whose negative slopes are learned.",
    ),
    layer(
        "layer_Permute",
        "Permute layer",
        _RESHAPING,
        "keras.layers.Permute",
        (
            integers(
                "Dims",
                (2, 1),
                "The new order of the axes, numbered from 1 after the batch axis: (2, 1) swaps the first two.",
                minimum=1,
            ),
            tensor_input(),
        ),
        "Reorders the axes of each sample, e.g. turns (steps, features) into (features, steps).",
    ),
    layer(
        "layer_ReLU",
        "ReLU layer",
        _ACTIVATIONS,
        "keras.layers.ReLU",
        (
            number("Max value", None, "Largest output (6 gives ReLU6). Empty: no limit.", optional=True, minimum=0.0),
            number("Negative slope", 0.0, "Slope below the threshold; 0 gives the plain ReLU.", minimum=0.0),
            number("Threshold", 0.0, "Inputs below this value count as negative.", minimum=0.0),
            tensor_input(),
        ),
        "Rectified linear unit: max(x, 0), with an optional cap, threshold and negative slope.",
    ),
    layer(
        "layer_RepeatVector",
        "Repeat vector layer",
        _RESHAPING,
        "keras.layers.RepeatVector",
        (
            integer("N", 3, "How many times the vector is repeated.", minimum=1),
            tensor_input("Input", "One vector per sample: (batch, features)."),
        ),
        "Repeats each sample's vector N times: (batch, features) becomes (batch, N, features).",
    ),
    layer(
        "layer_Reshape",
        "Reshape layer",
        _RESHAPING,
        "keras.layers.Reshape",
        (
            integers(
                "Target reshape",
                (-1,),
                "The new shape of each sample, without the batch axis; it must hold as many values as before. One "
                "entry may be -1, meaning 'whatever is left': the start value (-1) flattens each sample.",
                minimum=-1,
                keras_arg=("target_shape",),
            ),
            tensor_input(),
        ),
        "Gives each sample a new shape holding the same values.",
    ),
    _separable(1),
    _separable(2),
    layer(
        "layer_Softmax",
        "Softmax layer",
        _ACTIVATIONS,
        "keras.layers.Softmax",
        (
            integer("Axis", -1, "The axis along which the values become probabilities summing to 1; -1 is the last."),
            tensor_input(),
        ),
        "Turns scores into probabilities that sum to 1.",
    ),
    _spatial_dropout(1),
    _spatial_dropout(2),
    _spatial_dropout(3),
    layer(
        "layer_ThresholdedReLU",
        "Thresholded ReLU layer",
        _ACTIVATIONS,
        "nncards_widget.layers.ThresholdedReLU",
        (
            number("Theta", 1.0, "Values up to theta become 0; larger values pass unchanged.", minimum=0.0),
            tensor_input(),
        ),
        "x for x above theta, 0 otherwise (Keras 3 dropped this layer; this package provides it).",
    ),
    layer(
        "layer_TimeDistributed",
        "Time distributed layer wrapper",
        _WRAPPERS,
        "keras.layers.TimeDistributed",
        (
            layer_input("Layer", "The layer to apply at every step: connect another card's Layer instance."),
            tensor_input("Input", "A sequence: (batch, steps, ...); the layer sees one step at a time."),
        ),
        "Applies the same layer, with the same weights, to every step of a sequence (e.g. to each frame of a video).",
    ),
    _upsampling(1),
    _upsampling(2),
    _upsampling(3),
    _edges("ZeroPadding", 1, 1),
    _edges("ZeroPadding", 2, 1),
    _edges("ZeroPadding", 3, 1),
    _merge("Add", "Adds the two inputs value by value; they must have the same shape."),
    _merge("Average", "Averages the two inputs value by value; they must have the same shape."),
    _merge(
        "Concatenate",
        "Joins the two inputs along one axis; their other axes must match.",
        (integer("Axis", -1, "The axis along which the inputs are joined; -1 is the last."),),
    ),
    _merge(
        "Dot",
        "Multiplies the two inputs along the given axes and sums: a dot product per sample.",
        (
            integers(
                "Axes",
                (-1,),
                "The axis to multiply along, the same in both inputs, or one axis per input (A's, then B's); "
                "-1 is the last axis.",
                lengths=(1, 2),
                keras_arg=("axes",),
                collapse_single=True,
            ),
            flag(
                "Normalize", False, "Whether to scale both inputs to length 1 first, which gives the cosine similarity."
            ),
        ),
    ),
    _merge("Maximum", "Keeps the larger of the two inputs, value by value."),
    _merge("Minimum", "Keeps the smaller of the two inputs, value by value."),
    _merge("Multiply", "Multiplies the two inputs value by value."),
    _merge("Subtract", "Subtracts input B from input A, value by value."),
    _recurrent(
        "LSTM",
        "LSTM layer",
        "Long short-term memory: a recurrent layer whose gates let it keep information over long sequences.",
    ),
    _recurrent("GRU", "GRU layer", "Gated recurrent unit: a gated recurrent layer, lighter than the LSTM."),
    _recurrent(
        "SimpleRNN",
        "Simple RNN layer",
        "The plainest recurrent layer: each new state is computed from the current step and the previous state.",
    ),
)
