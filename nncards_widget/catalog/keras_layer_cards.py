"""Layer cards for the Keras 3 layers Protopipe has no card for, grouped as Keras's
documentation groups them; and "keras_" cards: a second card for a class Protopipe's
card covers only in part (merges of any number of inputs, global pooling that keeps
its axes), taken by `from_keras` where Protopipe's card cannot represent a layer.

Each card is one entry; the small constructors below only share what cards of one
family have in common.
"""

from __future__ import annotations

from .cards import layer
from .layer_cards import (
    _ATTENTION,
    _AXES,
    _BETA_GAMMA_PORTS,
    _BETA_INITIALIZER,
    _CAUSAL,
    _CENTER,
    _CONV,
    _DEPTH_MULTIPLIER,
    _DEPTHWISE_CONSTRAINT,
    _DEPTHWISE_INITIALIZER,
    _DEPTHWISE_REGULARIZER,
    _EPSILON,
    _GAMMA_INITIALIZER,
    _MERGE,
    _NORMALIZATION,
    _POOLING,
    _RECURRENT,
    _RECURRENT_ACTIVATION,
    _RECURRENT_CONSTRAINT,
    _RECURRENT_INITIALIZER,
    _RECURRENT_REGULARIZER,
    _SCALE,
    _UNIT_FORGET_BIAS,
    _axes,
    _conv,
    _dilation,
    _global_pooling,
    _kernel,
    _size,
    _strides,
)
from .ports import (
    ACTIVITY_REGULARIZER,
    BIAS_CONSTRAINT,
    BIAS_INITIALIZER,
    BIAS_REGULARIZER,
    DATA_FORMAT,
    FILTERS,
    KERAS_ACTIVATION_CHOICES,
    KERNEL_AND_BIAS_PORTS,
    KERNEL_CONSTRAINT,
    KERNEL_INITIALIZER,
    KERNEL_REGULARIZER,
    PADDING,
    SEED,
    USE_BIAS,
    activation,
    flag,
    fraction,
    integer,
    integers,
    number,
    tensor_input,
    tensors_input,
)
from .spec import CALL_LIST, CALL_POSITIONAL

_CORE = ("Layers", "Core layers")
_OPERATIONS = ("Operations", "NumPy operations")
_APPLICATIONS = ("Layers", "Layers of keras.applications")

# An axis list that Keras also takes as one number: one number is passed as that number.
_FEATURE_AXES = integers(
    "Axis",
    (-1,),
    "The axis or axes normalized over; -1 is the last axis.",
    keras_arg=("axis",),
    collapse_single=True,
)


def _merge_any(name, help, own=()):
    """A merge of any number of tensors, connected in order to its one list port."""
    return layer(
        f"keras_{name}",
        f"{name} layer (any number of inputs)",
        _MERGE,
        f"keras.layers.{name}",
        (*own, tensors_input()),
        help,
        call=CALL_LIST,
    )


def _adaptive_pooling(kind, dims):
    """kind: "Average" or "Max"."""
    return layer(
        f"layer_Adaptive{kind}Pooling{dims}D",
        f"Adaptive {kind.lower()} pooling {dims}D layer",
        _POOLING,
        f"keras.layers.Adaptive{kind}Pooling{dims}D",
        (_size("Output size", dims, 2, f"The {_axes(dims)} of the output, whatever the input's."), DATA_FORMAT, tensor_input()),
        f"Pools with windows sized to give an output of a fixed {_axes(dims)}, whatever the input's size.",
    )


def _conv_lstm(dims):
    return layer(
        f"layer_ConvLSTM{dims}D",
        f"Convolutional LSTM {dims}D layer",
        _RECURRENT,
        f"keras.layers.ConvLSTM{dims}D",
        (
            FILTERS,
            _kernel(dims),
            _strides(dims),
            PADDING,
            DATA_FORMAT,
            _dilation(dims),
            activation("tanh", help="The function applied to the new state (and output) at each step."),
            _RECURRENT_ACTIVATION,
            USE_BIAS,
            KERNEL_INITIALIZER,
            _RECURRENT_INITIALIZER,
            BIAS_INITIALIZER,
            _UNIT_FORGET_BIAS,
            KERNEL_REGULARIZER,
            _RECURRENT_REGULARIZER,
            BIAS_REGULARIZER,
            ACTIVITY_REGULARIZER,
            KERNEL_CONSTRAINT,
            _RECURRENT_CONSTRAINT,
            BIAS_CONSTRAINT,
            fraction("Dropout", 0.0, "Fraction of the input values dropped during training."),
            fraction("Recurrent dropout", 0.0, "Fraction of the state values dropped during training."),
            SEED,
            flag(
                "Return sequences",
                False,
                "On: one output per step (batch, steps, ..., filters). Off: only the last one.",
            ),
            flag("Go backwards", False, "Whether to read the sequence from its end to its start."),
            tensor_input("Input", f"A sequence of grids: (batch, steps, {', '.join(_AXES[dims])}, channels)."),
        ),
        f"An LSTM whose input and state transforms are {dims}D convolutions: a memory over sequences of grids "
        "(frames of a video).",
    )


_ATTENTION_HEAD_PORTS = (
    fraction("Dropout", 0.0, "Fraction of the attention weights dropped during training."),
    USE_BIAS,
    *KERNEL_AND_BIAS_PORTS,
    flag("Use gate", False, "Whether each head's output is multiplied by a learned gate before the output projection."),
    SEED,
    _CAUSAL,
    tensor_input("Query", "The sequence that asks: (batch, query steps, features)."),
    tensor_input(
        "Value", "The sequence attended to (also the key): (batch, steps, features). Connect the Query here too for self-attention."
    ),
)

def _operation(name, sign, title, help):
    """The operation Keras records for `x <sign> y` on tensors, and for `x <sign> number`."""
    return (
        layer(
            f"ops_{name}",
            f"{title} operation (x {sign} y)",
            _OPERATIONS,
            f"keras.src.ops.numpy.{name}",
            (tensor_input("X", "The first tensor."), tensor_input("Y", "The second tensor, of the same or a broadcastable shape.")),
            f"{help} value by value; what Keras records for x {sign} y on two tensors.",
            call=CALL_POSITIONAL,
        ),
        layer(
            f"ops_{name}Number",
            f"{title} a number operation (x {sign} c)",
            _OPERATIONS,
            f"keras.src.ops.numpy.{name}",
            (
                number("Number", 1.0, f"The number c in x {sign} c.", keras_arg=("x2",), call_arg=True),
                tensor_input("X", "The tensor."),
            ),
            f"{help} every value and a number; what Keras records for x {sign} 3.0 on a tensor.",
            call=CALL_POSITIONAL,
        ),
    )


LAYERS = (
    layer(
        "layer_Identity",
        "Identity layer",
        _CORE,
        "keras.layers.Identity",
        (tensor_input(),),
        "Passes its input on unchanged: a named point in the network.",
    ),
    layer(
        "keras_Activation",
        "Activation layer (Keras 3)",
        ("Layers",),
        "keras.layers.Activation",
        (
            activation(
                "relu",
                help="The function applied to every value, among all of Keras 3's activations.",
                choices=KERAS_ACTIVATION_CHOICES,
            ),
            tensor_input(),
        ),
        "Applies any of Keras 3's activation functions to every value of its input.",
    ),
    _conv(1, transpose=True),
    *(_conv(dims, groups=True) for dims in (1, 2, 3)),
    layer(
        "layer_DepthwiseConv1D",
        "Depthwise convolution 1D layer",
        _CONV,
        "keras.layers.DepthwiseConv1D",
        (
            _kernel(1),
            _strides(1),
            PADDING,
            _DEPTH_MULTIPLIER,
            DATA_FORMAT,
            _dilation(1),
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
        "Filters each channel of a sequence with its own kernels, without mixing the channels.",
    ),
    *(_global_pooling(kind, dims, keepdims=True) for kind in ("Average", "Max") for dims in (1, 2, 3)),
    *(_adaptive_pooling(kind, dims) for kind in ("Average", "Max") for dims in (1, 2, 3)),
    *(_conv_lstm(dims) for dims in (1, 2, 3)),
    layer(
        "layer_GroupNormalization",
        "Group normalization layer",
        _NORMALIZATION,
        "keras.layers.GroupNormalization",
        (
            integer("Groups", 32, "How many groups the channels are split into; it must divide the channels.", minimum=1),
            integer("Axis", -1, "The channels axis; -1 is the last axis."),
            _EPSILON,
            _CENTER,
            _SCALE,
            _BETA_INITIALIZER,
            _GAMMA_INITIALIZER,
            *_BETA_GAMMA_PORTS,
            tensor_input(),
        ),
        "Brings each group of channels of each sample to mean 0 and variance 1, whatever the batch size.",
    ),
    layer(
        "layer_UnitNormalization",
        "Unit normalization layer",
        _NORMALIZATION,
        "keras.layers.UnitNormalization",
        (_FEATURE_AXES, tensor_input()),
        "Scales each sample to length 1 (L2 norm) along the given axes.",
    ),
    layer(
        "layer_RMSNormalization",
        "RMS normalization layer",
        _NORMALIZATION,
        "keras.layers.RMSNormalization",
        (
            _FEATURE_AXES,
            number("Epsilon", 1e-06, "Small number added to the mean square so that it is never divided by zero.", minimum=0.0),
            tensor_input(),
        ),
        "Divides each sample by its root mean square along the axes, then scales it by a learned factor.",
    ),
    layer(
        "layer_MultiHeadAttention",
        "Multi-head attention layer",
        _ATTENTION,
        "keras.layers.MultiHeadAttention",
        (
            integer("Num heads", 2, "How many attention heads run side by side.", minimum=1),
            integer("Key dim", 16, "Size of each head's query and key vectors.", minimum=1),
            integer("Value dim", None, "Size of each head's value vectors. Empty: the key dim.", optional=True, minimum=1),
            integers(
                "Output shape",
                (),
                "Shape of each output step, without batch and step axes. Empty: the query's features.",
                optional=True,
                minimum=1,
            ),
            integers(
                "Attention axes",
                (),
                "The axes attention runs over, the batch axis being 0: 1 for the steps of a sequence. Empty: every "
                "axis between the batch and the features.",
                optional=True,
            ),
            *_ATTENTION_HEAD_PORTS,
        ),
        "Several attention heads, each with its own learned projections: each query step becomes a mix of the "
        "value's steps.",
        call=CALL_POSITIONAL,
    ),
    layer(
        "layer_GroupQueryAttention",
        "Group query attention layer",
        _ATTENTION,
        "keras.layers.GroupQueryAttention",
        (
            integer("Head dim", 16, "Size of each head's query, key and value vectors.", minimum=1),
            integer("Num query heads", 4, "How many query heads there are.", minimum=1),
            integer(
                "Num key value heads",
                2,
                "How many key and value heads the query heads share; it must divide the query heads.",
                minimum=1,
            ),
            *_ATTENTION_HEAD_PORTS,
        ),
        "Multi-head attention where groups of query heads share one key and value head: fewer weights, same reach.",
        call=CALL_POSITIONAL,
    ),
    _merge_any("Add", "Adds the inputs value by value; they must have the same shape."),
    _merge_any("Average", "Averages the inputs value by value; they must have the same shape."),
    _merge_any(
        "Concatenate",
        "Joins the inputs along one axis; their other axes must match.",
        (integer("Axis", -1, "The axis along which the inputs are joined; -1 is the last."),),
    ),
    _merge_any("Maximum", "Keeps the largest of the inputs, value by value."),
    _merge_any("Minimum", "Keeps the smallest of the inputs, value by value."),
    _merge_any("Multiply", "Multiplies the inputs value by value."),
    *_operation("Add", "+", "Add", "Adds"),
    *_operation("Multiply", "*", "Multiply", "Multiplies"),
    layer(
        "layer_LayerScale",
        "Layer scale layer (ConvNeXt)",
        _APPLICATIONS,
        "keras.src.applications.convnext.LayerScale",
        (
            number("Init values", 1e-06, "The value every learned factor starts at."),
            integer("Projection dim", 96, "How many channels the input has: one factor each.", minimum=1),
            tensor_input(),
        ),
        "Multiplies each channel by a learned factor that starts small, as ConvNeXt's blocks do.",
    ),
    layer(
        "layer_CustomScaleLayer",
        "Custom scale layer (Inception-ResNet)",
        _APPLICATIONS,
        "keras.src.applications.inception_resnet_v2.CustomScaleLayer",
        (
            number("Scale", 1.0, "The factor the residual (Input B) is multiplied by."),
            tensor_input("Input A", "The tensor passed on: the block's shortcut."),
            tensor_input("Input B", "The residual added after scaling."),
        ),
        "A + scale x B: the scaled residual sum of Inception-ResNet's blocks.",
        call=CALL_LIST,
    ),
)
