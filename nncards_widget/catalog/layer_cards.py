"""Layer cards beyond the core ones in `cards.py`: convolutions, pooling, reshaping,
normalization, regularization, activations, attention, merging, recurrent layers
and wrappers. One entry per card; small constructors where cards differ only by
their number of spatial dimensions."""

from __future__ import annotations

from .cards import layer
from .ports import (
    ACTIVITY_REGULARIZER,
    BIAS_CONSTRAINT,
    BIAS_INITIALIZER,
    BIAS_REGULARIZER,
    DATA_FORMAT,
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
    initializer,
    integer,
    integers,
    layer_input,
    number,
    regularizer,
    tensor_input,
)
from .spec import CALL_LIST, CALL_SELF_ATTENTION, NOT_PASSED

_AXIS_NAMES = {1: "length", 2: "height and width", 3: "depth, height and width"}


def _size(text, dims, default, help, **options):
    """A window size, stride or factor: one integer in 1D, a list of `dims` integers otherwise."""
    if dims == 1:
        return integer(text, default, help, minimum=1, **options)
    return integers(text, (default,) * dims, help, minimum=1, lengths=(dims,), **options)


def _kernel(dims):
    return _size("Kernel size", dims, 3, f"The window's {_AXIS_NAMES[dims]}.")


def _strides(dims, default=1):
    return _size("Strides", dims, default, f"The window's step along each axis ({_AXIS_NAMES[dims]}).")


def _dilation(dims):
    return _size("Dilation rate", dims, 1, "Spacing between the window's cells; above 1 widens the window without more weights.")


_FILTERS = integer("Filters", 32, "Number of filters, that is of channels in the output.", minimum=1)
_DEPTH_MULTIPLIER = integer("Depth multiplier", 1, "Number of output channels per input channel of the depthwise step.", minimum=1)
_CONV_PADDING_1D = choice(
    "Padding",
    "valid",
    (
        ("valid", "Valid (no padding)"),
        ("same", "Same (output as long as input / strides)"),
        ("causal", "Causal (output step t only sees input up to t)"),
    ),
    "Valid: no padding, the output shrinks. Same: zero padding keeps the length. Causal: pads only the "
    "start, so no step sees the future (for sequences).",
)
_DEPTHWISE_INITIALIZER = initializer(
    "Depthwise initializer", "initializer_GlorotUniform", "How the per-channel (depthwise) kernels start. Unconnected: Glorot uniform."
)
_POINTWISE_INITIALIZER = initializer(
    "Pointwise initializer", "initializer_GlorotUniform", "How the 1x1 (pointwise) kernel starts. Unconnected: Glorot uniform."
)
_DEPTHWISE_REGULARIZER = regularizer("Depthwise regularizer", "Penalty on the depthwise kernels added to the loss.")
_POINTWISE_REGULARIZER = regularizer("Pointwise regularizer", "Penalty on the pointwise kernel added to the loss.")
_DEPTHWISE_CONSTRAINT = constraint("Depthwise constraint", "Constraint applied to the depthwise kernels after each step.")
_POINTWISE_CONSTRAINT = constraint("Pointwise constraint", "Constraint applied to the pointwise kernel after each step.")

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


def _conv(dims):
    padding = _CONV_PADDING_1D if dims == 1 else PADDING
    head = (_FILTERS, _kernel(dims), _strides(dims), padding, DATA_FORMAT, _dilation(dims))
    # Protopipe lists Activation before Use bias in 1D, after it in 2D and 3D.
    tail = (activation(), USE_BIAS) if dims == 1 else (USE_BIAS, activation())
    return layer(
        f"layer_Conv{dims}D",
        f"Convolution {dims}D layer",
        _CONV,
        f"keras.layers.Conv{dims}D",
        (*head, *tail, *KERNEL_AND_BIAS_PORTS, tensor_input()),
        f"Slides learned filters over the input's {_AXIS_NAMES[dims]}; each filter gives one output channel.",
    )


def _conv_transpose(dims):
    output_padding = integers(
        "Output padding",
        (),
        "Extra rows/columns added to one side of the output, to pick among the output sizes a stride allows. "
        "Empty: inferred.",
        optional=True,
        minimum=0,
        lengths=(dims,),
    )
    return layer(
        f"layer_Conv{dims}DTranspose",
        f"Convolution {dims}D transpose layer",
        _CONV,
        f"keras.layers.Conv{dims}DTranspose",
        (
            _FILTERS, _kernel(dims), _strides(dims), PADDING, output_padding, DATA_FORMAT, _dilation(dims),
            activation(), USE_BIAS, *KERNEL_AND_BIAS_PORTS, tensor_input(),
        ),
        "The transpose of a convolution: spreads each input cell over a window, e.g. to upsample images.",
    )


def _separable(dims):
    return layer(
        f"layer_SeparableConv{dims}D",
        f"Separable convolution {dims}D layer",
        _CONV,
        f"keras.layers.SeparableConv{dims}D",
        (
            _FILTERS, _kernel(dims), _strides(dims), _CONV_PADDING_1D if dims == 1 else PADDING, DATA_FORMAT,
            _dilation(dims), _DEPTH_MULTIPLIER, activation(), USE_BIAS,
            _DEPTHWISE_INITIALIZER, _POINTWISE_INITIALIZER, BIAS_INITIALIZER,
            _DEPTHWISE_REGULARIZER, _POINTWISE_REGULARIZER, BIAS_REGULARIZER, ACTIVITY_REGULARIZER,
            _DEPTHWISE_CONSTRAINT, _POINTWISE_CONSTRAINT, BIAS_CONSTRAINT, tensor_input(),
        ),
        "A convolution in two cheap steps: one filter per input channel, then a 1x1 convolution mixing channels.",
    )


def _pooling(kind, dims):
    name = "Average" if kind == "Average" else "Max"
    what = "average" if kind == "Average" else "largest value"
    return layer(
        f"layer_{name}Pooling{dims}D",
        f"{name} pooling {dims}D layer",
        _POOLING,
        f"keras.layers.{name}Pooling{dims}D",
        (
            _size("Pool size", dims, 2, f"The window's {_AXIS_NAMES[dims]}."),
            _strides(dims, default=2),
            PADDING,
            DATA_FORMAT,
            tensor_input(),
        ),
        f"Keeps the {what} of each window, shrinking the input's {_AXIS_NAMES[dims]}.",
    )


def _global_pooling(kind, dims):
    name = "Average" if kind == "Average" else "Max"
    what = "average" if kind == "Average" else "largest value"
    return layer(
        f"layer_Global{name}Pooling{dims}D",
        f"Global {name.lower()} pooling {dims}D layer",
        _POOLING,
        f"keras.layers.Global{name}Pooling{dims}D",
        (DATA_FORMAT, tensor_input()),
        f"Keeps the {what} of each channel over the whole {_AXIS_NAMES[dims]}: (batch, ..., channels) becomes (batch, channels).",
    )


def _amount_ports(verb, argument, dims):
    """Protopipe's per-dimension ports ("At the beginning of dimension 1", ...) -> argument[d][0|1]."""
    if dims == 1:
        return (
            integer("At the beginning", 1, f"How many steps to {verb} at the start of the sequence.", minimum=0, keras_arg=(argument, 0)),
            integer("At the end", 1, f"How many steps to {verb} at the end of the sequence.", minimum=0, keras_arg=(argument, 1)),
        )
    ports = []
    for dimension in range(dims):
        for side, index in (("beginning", 0), ("end", 1)):
            ports.append(
                integer(
                    f"At the {side} of dimension {dimension + 1}",
                    1,
                    f"How many rows to {verb} at the {side} of spatial dimension {dimension + 1}.",
                    minimum=0,
                    keras_arg=(argument, dimension, index),
                )
            )
    return tuple(ports)


def _cropping(dims):
    extra = () if dims == 1 else (DATA_FORMAT,)
    return layer(
        f"layer_Cropping{dims}D",
        f"Cropping {dims}D layer",
        _RESHAPING,
        f"keras.layers.Cropping{dims}D",
        (*_amount_ports("cut off", "cropping", dims), *extra, tensor_input()),
        f"Cuts rows off the edges of the input's {_AXIS_NAMES[dims]}.",
    )


def _zero_padding(dims):
    extra = () if dims == 1 else (DATA_FORMAT,)
    return layer(
        f"layer_ZeroPadding{dims}D",
        f"Zero padding {dims}D layer",
        _RESHAPING,
        f"keras.layers.ZeroPadding{dims}D",
        (*_amount_ports("add", "padding", dims), *extra, tensor_input()),
        f"Adds rows of zeros around the input's {_AXIS_NAMES[dims]}.",
    )


def _upsampling(dims):
    size = _size("Size", dims, 2, f"How many times each row is repeated along the {_AXIS_NAMES[dims]}.")
    extra = {
        1: (),
        2: (
            DATA_FORMAT,
            choice(
                "Interpolation",
                "nearest",
                (("nearest", "Nearest"), ("bilinear", "Bilinear"), ("bicubic", "Bicubic"),
                 ("lanczos3", "Lanczos 3"), ("lanczos5", "Lanczos 5"), ("area", "Area")),
                "How new pixels are filled: copies of the nearest one, or smooth interpolation.",
            ),
        ),
        3: (DATA_FORMAT,),
    }[dims]
    return layer(
        f"layer_UpSampling{dims}D",
        f"Up sampling {dims}D layer",
        _RESHAPING,
        f"keras.layers.UpSampling{dims}D",
        (size, *extra, tensor_input()),
        f"Enlarges the input's {_AXIS_NAMES[dims]} by repeating its rows.",
    )


def _spatial_dropout(dims):
    extra = () if dims == 1 else (DATA_FORMAT,)
    return layer(
        f"layer_SpatialDropout{dims}D",
        f"Spatial dropout {dims}D layer",
        _REGULARIZATION,
        f"keras.layers.SpatialDropout{dims}D",
        (RATE, *extra, tensor_input()),
        "During training, drops whole channels (feature maps) at random instead of single values.",
    )


def _merge(name, title, help, own=()):
    return layer(
        f"mergeLayer2_{name}",
        f"{title} layer (2 inputs)",
        _MERGE,
        f"keras.layers.{name}",
        (*own, tensor_input("Input A", "The first tensor."), tensor_input("Input B", "The second tensor.")),
        help,
        call=CALL_LIST,
    )


_ATTENTION_DROPOUT = number(
    "Dropout", 0.0, "Fraction of the attention scores dropped during training.", minimum=0.0, maximum=1.0, exclusive_maximum=True
)
_CAUSAL = flag(
    "Causal",
    False,
    "Whether a position may only attend to itself and earlier positions (for sequences generated step by step).",
    keras_arg=("use_causal_mask",),
    call_arg=True,
)


def _recurrent(name, title, help, gated):
    recurrent_activation = (
        (activation("sigmoid", "Recurrent activation", "The function applied to the gates."),) if gated else ()
    )
    forget_bias = (
        (flag("Unit forget bias", True, "Whether the forget gate's bias starts at 1, which helps long memories."),)
        if name == "LSTM"
        else ()
    )
    return layer(
        f"layer_{name}",
        title,
        _RECURRENT,
        f"keras.layers.{name}",
        (
            integer("Units", 32, "Size of the state (and of the output at each step).", minimum=1),
            activation("tanh"),
            *recurrent_activation,
            USE_BIAS,
            KERNEL_INITIALIZER,
            initializer("Recurrent initializer", "initializer_Orthogonal", "How the state-to-state weights start. Unconnected: orthogonal."),
            BIAS_INITIALIZER,
            *forget_bias,
            KERNEL_REGULARIZER,
            regularizer("Recurrent regularizer", "Penalty on the state-to-state weights added to the loss."),
            BIAS_REGULARIZER,
            ACTIVITY_REGULARIZER,
            KERNEL_CONSTRAINT,
            constraint("Recurrent constraint", "Constraint applied to the state-to-state weights after each step."),
            BIAS_CONSTRAINT,
            number("Dropout", 0.0, "Fraction of the inputs dropped during training.", minimum=0.0, maximum=1.0, exclusive_maximum=True),
            number("Recurrent dropout", 0.0, "Fraction of the state dropped during training.", minimum=0.0, maximum=1.0, exclusive_maximum=True),
            flag("Return sequences", False, "Output the state at every step (batch, steps, units) instead of only the last (batch, units)."),
            flag("Go backwards", False, "Read the sequence from its end to its start."),
            tensor_input("Input", "A sequence: (batch, steps, features)."),
        ),
        help,
    )


LAYERS = (
    layer(
        "layer_Activation",
        "Activation layer",
        ("Layers",),
        "keras.layers.Activation",
        (activation("relu"), tensor_input()),
        "Applies an activation function to every value.",
    ),
    layer(
        "layer_ActivityRegularization",
        "Activity regularization layer",
        _REGULARIZATION,
        "keras.layers.ActivityRegularization",
        (
            number("L1", 0.0, "Factor of the penalty on the sum of absolute values of the input.", minimum=0.0),
            number("L2", 0.0, "Factor of the penalty on the sum of squares of the input.", minimum=0.0),
            tensor_input(),
        ),
        "Passes its input through unchanged and adds a penalty on it to the loss.",
    ),
    layer(
        "layer_AdditiveAttention",
        "Additive attention layer",
        _ATTENTION,
        "keras.layers.AdditiveAttention",
        (flag("Use scale", True, "Whether to learn a scale for the attention scores."), _CAUSAL, _ATTENTION_DROPOUT, tensor_input(
            "Input", "A sequence (batch, steps, features); each step attends to every step of the same sequence.")),
        "Self-attention with additive (Bahdanau-style) scores: each step becomes a weighted mix of all steps.",
        call=CALL_SELF_ATTENTION,
    ),
    layer(
        "layer_AlphaDropout",
        "Alpha dropout layer",
        _REGULARIZATION,
        "keras.layers.AlphaDropout",
        (RATE, SEED, tensor_input()),
        "Dropout for SELU networks: keeps the inputs' mean and variance while dropping values in training.",
    ),
    layer(
        "layer_Attention",
        "Attention layer",
        _ATTENTION,
        "keras.layers.Attention",
        (flag("Use scale", False, "Whether to learn a scale for the attention scores."), _CAUSAL, _ATTENTION_DROPOUT, tensor_input(
            "Input", "A sequence (batch, steps, features); each step attends to every step of the same sequence.")),
        "Self-attention with dot-product (Luong-style) scores: each step becomes a weighted mix of all steps.",
        call=CALL_SELF_ATTENTION,
    ),
    _pooling("Average", 1),
    _pooling("Average", 2),
    _pooling("Average", 3),
    layer(
        "layer_BatchNormalization",
        "Batch normalization layer",
        _NORMALIZATION,
        "keras.layers.BatchNormalization",
        (
            integer("Axis", -1, "The axis of the features to normalize, usually the channels (-1: the last)."),
            number("Momentum", 0.99, "How slowly the moving mean and variance follow each batch's.", minimum=0.0, maximum=1.0),
            number("Epsilon", 0.001, "Small number added to the variance to avoid dividing by zero.", minimum=0.0),
            flag("Center", True, "Whether to learn an offset (beta) added after normalizing."),
            flag("Scale", True, "Whether to learn a factor (gamma) applied after normalizing."),
            initializer("Beta initializer", "initializer_Zeros", "How the offset starts. Unconnected: zeros."),
            initializer("Gamma initializer", "initializer_Ones", "How the factor starts. Unconnected: ones."),
            initializer("Moving mean initializer", "initializer_Zeros", "How the moving mean starts. Unconnected: zeros."),
            initializer("Moving variance initializer", "initializer_Ones", "How the moving variance starts. Unconnected: ones."),
            regularizer("Beta regularizer", "Penalty on the offset added to the loss."),
            regularizer("Gamma regularizer", "Penalty on the factor added to the loss."),
            constraint("Beta constraint", "Constraint applied to the offset after each step."),
            constraint("Gamma constraint", "Constraint applied to the factor after each step."),
            tensor_input(),
        ),
        "Normalizes each feature to mean 0 and variance 1 over the batch (in training) or the moving averages (in use).",
    ),
    layer(
        "layer_Bidirectional",
        "Bidirectional layer wrapper",
        _WRAPPERS,
        "keras.layers.Bidirectional",
        (
            layer_input("Layer", "The recurrent layer to run both ways: connect an LSTM, GRU or Simple RNN card's Layer instance."),
            choice(
                "Merge mode",
                "concat",
                (("concat", "Concatenate"), ("sum", "Sum"), ("mul", "Multiply"), ("ave", "Average"), (None, "None (return both)")),
                "How the forward and backward outputs are combined.",
            ),
            tensor_input("Input", "A sequence: (batch, steps, features)."),
        ),
        "Runs a recurrent layer over the sequence forwards and backwards and combines both outputs.",
    ),
    _conv(1),
    _conv(2),
    _conv_transpose(2),
    _conv(3),
    _conv_transpose(3),
    _cropping(1),
    _cropping(2),
    _cropping(3),
    layer(
        "layer_DepthwiseConv2D",
        "Depthwise convolution 2D layer",
        _CONV,
        "keras.layers.DepthwiseConv2D",
        (
            _kernel(2), _strides(2), PADDING, _DEPTH_MULTIPLIER, DATA_FORMAT, _dilation(2), activation(), USE_BIAS,
            _DEPTHWISE_INITIALIZER, BIAS_INITIALIZER, _DEPTHWISE_REGULARIZER, BIAS_REGULARIZER, ACTIVITY_REGULARIZER,
            _DEPTHWISE_CONSTRAINT, BIAS_CONSTRAINT, tensor_input(),
        ),
        "Convolves each input channel with its own filters, without mixing channels.",
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
                "Shape of the drop mask, to drop whole rows at once (1 on an axis shares the mask along it). Empty: "
                "every value independently.",
                optional=True,
                minimum=1,
            ),
            SEED,
            tensor_input(),
        ),
        "During training, sets a random fraction of the values to 0 and scales the rest up; does nothing in use.",
    ),
    layer(
        "layer_ELU",
        "ELU layer",
        _ACTIVATIONS,
        "keras.layers.ELU",
        (number("Alpha", 1.0, "Scale of the negative part: negative inputs go to alpha * (exp(x) - 1)."), tensor_input()),
        "Exponential linear unit: x for positive x, a smooth curve towards -alpha below 0.",
    ),
    layer(
        "layer_Embedding",
        "Embedding layer",
        ("Layers",),
        "keras.layers.Embedding",
        (
            integer("Input dim", 1000, "Size of the vocabulary: the largest integer in the input plus 1.", minimum=1),
            integer("Output dim", 16, "Length of the vector each integer is turned into.", minimum=1),
            initializer("Embeddings initializer", "initializer_GlorotUniform", "How the vectors start. Unconnected: Glorot uniform."),
            ACTIVITY_REGULARIZER,
            constraint("Embeddings constraint", "Constraint applied to the vectors after each step."),
            flag("Mask zero", False, "Whether 0 means padding, to be skipped by later layers that support masks."),
            integer(
                "Input length",
                None,
                "Length of the input sequences. Keras 3 reads it from the input; when set, the card checks that the input has it.",
                optional=True,
                minimum=1,
                keras_arg=NOT_PASSED,
            ),
            tensor_input("Input", "Integers (word or category indices): (batch, steps)."),
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
        (number("Stddev", 0.1, "Standard deviation of the noise added during training.", minimum=0.0), tensor_input()),
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
            integers("Axes", (-1,), "The axes each sample is normalized over (-1: the last).", keras_arg=("axis",), collapse_single=True),
            number("Epsilon", 0.001, "Small number added to the variance to avoid dividing by zero.", minimum=0.0),
            flag("Center", True, "Whether to learn an offset (beta) added after normalizing."),
            flag("Scale", True, "Whether to learn a factor (gamma) applied after normalizing."),
            initializer("Beta initializer", "initializer_Zeros", "How the offset starts. Unconnected: zeros."),
            initializer("Gamma initializer", "initializer_Ones", "How the factor starts. Unconnected: ones."),
            regularizer("Beta regularizer", "Penalty on the offset added to the loss."),
            regularizer("Gamma regularizer", "Penalty on the factor added to the loss."),
            constraint("Beta constraint", "Constraint applied to the offset after each step."),
            constraint("Gamma constraint", "Constraint applied to the factor after each step."),
            tensor_input(),
        ),
        "Normalizes each sample on its own to mean 0 and variance 1 over the given axes.",
    ),
    layer(
        "layer_LeakyReLU",
        "Leaky ReLU layer",
        _ACTIVATIONS,
        "keras.layers.LeakyReLU",
        (number("Alpha", 0.3, "Slope for negative inputs (Keras 3 calls it negative_slope).", minimum=0.0, keras_arg=("negative_slope",)), tensor_input()),
        "x for positive x, alpha * x below 0: a ReLU that lets a little of the negative side through.",
    ),
    layer(
        "layer_Masking",
        "Masking layer",
        ("Layers",),
        "keras.layers.Masking",
        (number("Mask value", 0.0, "Steps whose features all equal this value are skipped by later layers."), tensor_input()),
        "Marks padding steps of a sequence so that recurrent layers skip them.",
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
            initializer("Alpha initializer", "initializer_Zeros", "How the learned negative slopes start. Unconnected: zeros."),
            regularizer("Alpha regularizer", "Penalty on the slopes added to the loss."),
            constraint("Alpha constraint", "Constraint applied to the slopes after each step."),
            integers(
                "Shared axes",
                (),
                "Axes along which one slope is shared, e.g. 1, 2 for one slope per channel of an image. Empty: one per value.",
                optional=True,
                minimum=1,
            ),
            tensor_input(),
        ),
        "A leaky ReLU whose negative slope is learned.",
    ),
    layer(
        "layer_Permute",
        "Permute layer",
        _RESHAPING,
        "keras.layers.Permute",
        (integers("Dims", (2, 1), "The new order of the axes, numbered from 1 (the batch axis stays first).", minimum=1), tensor_input()),
        "Reorders the axes of each sample, e.g. (2, 1) swaps steps and features.",
    ),
    layer(
        "layer_ReLU",
        "ReLU layer",
        _ACTIVATIONS,
        "keras.layers.ReLU",
        (
            number("Max value", None, "Largest output value (6 gives ReLU6). Empty: no limit.", optional=True, minimum=0.0),
            number("Negative slope", 0.0, "Slope below the threshold.", minimum=0.0),
            number("Threshold", 0.0, "Inputs below this value are treated as negative."),
            tensor_input(),
        ),
        "Rectified linear unit: max(x, 0), with an optional cap, threshold and slope.",
    ),
    layer(
        "layer_RepeatVector",
        "Repeat vector layer",
        _RESHAPING,
        "keras.layers.RepeatVector",
        (integer("N", 3, "How many times the vector is repeated.", minimum=1), tensor_input("Input", "A vector per sample: (batch, features).")),
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
                "The new shape of each sample (without the batch axis); one entry may be -1, meaning 'what is left'.",
                keras_arg=("target_shape",),
            ),
            tensor_input(),
        ),
        "Gives each sample a new shape with the same number of values.",
    ),
    _separable(1),
    _separable(2),
    layer(
        "layer_Softmax",
        "Softmax layer",
        _ACTIVATIONS,
        "keras.layers.Softmax",
        (integer("Axis", -1, "The axis along which the values are turned into probabilities summing to 1."), tensor_input()),
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
        (number("Theta", 1.0, "Values at or below theta become 0; values above it pass unchanged.", minimum=0.0), tensor_input()),
        "x for x above theta, 0 otherwise.",
    ),
    layer(
        "layer_TimeDistributed",
        "Time distributed layer wrapper",
        _WRAPPERS,
        "keras.layers.TimeDistributed",
        (
            layer_input("Layer", "The layer to apply to every step: connect another card's Layer instance."),
            tensor_input("Input", "A sequence: (batch, steps, ...); the layer sees one step at a time."),
        ),
        "Applies the same layer, with the same weights, to every step of a sequence (e.g. to each frame of a video).",
    ),
    _upsampling(1),
    _upsampling(2),
    _upsampling(3),
    _zero_padding(1),
    _zero_padding(2),
    _zero_padding(3),
    _merge("Add", "Add", "Adds the two inputs value by value (they must have the same shape)."),
    _merge("Average", "Average", "Averages the two inputs value by value."),
    _merge(
        "Concatenate",
        "Concatenate",
        "Joins the two inputs along one axis.",
        (integer("Axis", -1, "The axis along which the inputs are joined (-1: the last)."),),
    ),
    _merge(
        "Dot",
        "Dot",
        "Dot product of the two inputs along the given axes.",
        (
            integers("Axes", (-1,), "The axis (or one axis per input) along which to multiply and sum.", lengths=(1, 2),
                     collapse_single=True),
            flag("Normalize", False, "Whether to scale both inputs to length 1 first, giving the cosine similarity."),
        ),
    ),
    _merge("Maximum", "Maximum", "Keeps the larger of the two inputs, value by value."),
    _merge("Minimum", "Minimum", "Keeps the smaller of the two inputs, value by value."),
    _merge("Multiply", "Multiply", "Multiplies the two inputs value by value."),
    _merge("Subtract", "Subtract", "Subtracts input B from input A, value by value."),
    _recurrent("LSTM", "LSTM layer", "Long short-term memory: a recurrent layer whose gates let it keep information over long sequences.", gated=True),
    _recurrent("GRU", "GRU layer", "Gated recurrent unit: a lighter gated recurrent layer than the LSTM.", gated=True),
    _recurrent("SimpleRNN", "Simple RNN layer", "The plainest recurrent layer: its state is a function of the input step and the previous state.", gated=False),
)
