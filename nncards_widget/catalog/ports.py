"""The vocabulary the card table is written in: port constructors and shared ports.

These only shorten the table; each returns a plain `PortSpec`.
"""

from __future__ import annotations

from .spec import (
    BOOLEAN,
    CONSTRAINT,
    FLOAT,
    INITIALIZER,
    INTEGER,
    LAYER,
    LIST,
    REGULARIZER,
    STRING,
    TENSOR,
    Choice,
    PortSpec,
)


def integer(text, default, help, **options):
    return PortSpec(text=text, type=INTEGER, default=default, help=help, **options)


def integers(text, default, help, **options):
    """A list of integers; `default` is a tuple."""
    return PortSpec(text=text, type=INTEGER, multiplicity=LIST, default=tuple(default), help=help, **options)


def number(text, default, help, **options):
    return PortSpec(text=text, type=FLOAT, default=default, help=help, **options)


def numbers(text, default, help, **options):
    """A list of numbers; `default` is a tuple."""
    return PortSpec(text=text, type=FLOAT, multiplicity=LIST, default=tuple(default), help=help, **options)


def tensors_input(text="Inputs", help="The tensors this layer combines: connect as many as it needs, in order."):
    """A list port of tensors: takes any number of connections, passed to the layer as one list."""
    return PortSpec(text=text, type=TENSOR, multiplicity=LIST, default=(), help=help)


def flag(text, default, help, **options):
    return PortSpec(text=text, type=BOOLEAN, default=default, help=help, **options)


def text(text, default, help, **options):
    return PortSpec(text=text, type=STRING, default=default, help=help, **options)


def choice(text, default, choices, help, **options):
    """A String port limited to `choices`, given as (value, label) pairs."""
    return PortSpec(
        text=text,
        type=STRING,
        default=default,
        choices=tuple(Choice(value, label) for value, label in choices),
        help=help,
        **options,
    )


def initializer(text, default_card, help):
    return PortSpec(text=text, type=INITIALIZER, default=default_card, help=help)


def regularizer(text, help):
    return PortSpec(text=text, type=REGULARIZER, help=help)


def constraint(text, help):
    return PortSpec(text=text, type=CONSTRAINT, help=help)


def layer_input(text="Layer", help="The layer to wrap: connect another card's Layer instance here."):
    return PortSpec(text=text, type=LAYER, help=help)


def tensor_input(text="Input", help="The tensor this layer is applied to."):
    return PortSpec(text=text, type=TENSOR, help=help)


def tensor_output(text="Output", help="The tensor this layer computes."):
    return PortSpec(text=text, type=TENSOR, help=help, direction="out")


def object_output(text, type, help):
    return PortSpec(text=text, type=type, help=help, direction="out")


LAYER_INSTANCE = object_output(
    "Layer instance",
    LAYER,
    "This layer as an object, to be wrapped by a Bidirectional or Time distributed card.",
)
LAYER_OUTPUTS = (LAYER_INSTANCE, tensor_output())

INITIALIZER_INSTANCE = object_output(
    "Initializer instance", INITIALIZER, "This initializer, to connect to a layer's initializer port."
)
REGULARIZER_INSTANCE = object_output(
    "Regularizer instance", REGULARIZER, "This regularizer, to connect to a layer's regularizer port."
)
CONSTRAINT_INSTANCE = object_output(
    "Constraint instance", CONSTRAINT, "This constraint, to connect to a layer's constraint port."
)

ACTIVATION_CHOICES = (
    ("linear", "Linear"),
    ("relu", "ReLU"),
    ("sigmoid", "Sigmoid"),
    ("softmax", "Softmax"),
    ("tanh", "Tanh"),
    ("elu", "ELU"),
    ("selu", "SELU"),
    ("gelu", "GELU"),
    ("silu", "SiLU (swish)"),
    ("softplus", "Softplus"),
    ("softsign", "Softsign"),
    ("hard_sigmoid", "Hard sigmoid"),
    ("exponential", "Exponential"),
    ("leaky_relu", "Leaky ReLU"),
    ("relu6", "ReLU6"),
    ("mish", "Mish"),
    ("log_softmax", "Log softmax"),
)


# Keras 3's other activations, offered by the Keras 3 Activation card (Protopipe's cards keep theirs).
KERAS_ACTIVATION_CHOICES = ACTIVATION_CHOICES + (
    ("celu", "CELU"),
    ("glu", "GLU (halves the last axis)"),
    ("hard_shrink", "Hard shrink"),
    ("hard_silu", "Hard SiLU (hard swish)"),
    ("hard_tanh", "Hard tanh"),
    ("log_sigmoid", "Log sigmoid"),
    ("soft_shrink", "Soft shrink"),
    ("sparse_plus", "Sparse plus"),
    ("sparse_sigmoid", "Sparse sigmoid"),
    ("sparsemax", "Sparsemax"),
    ("squareplus", "Squareplus"),
    ("tanh_shrink", "Tanh shrink"),
)


def activation(
    default="linear",
    text="Activation",
    help="The function applied to the layer's output; Linear applies none.",
    choices=ACTIVATION_CHOICES,
):
    return choice(text, default, choices, help)


DATA_FORMAT = choice(
    "Data format",
    "channels_last",
    (
        ("channels_last", "Channels last, (batch, ..., channels)"),
        ("channels_first", "Channels first, (batch, channels, ...)"),
    ),
    "Where the channels axis is in the input: last (batch, height, width, channels) or "
    "first (batch, channels, height, width).",
)

PADDING = choice(
    "Padding",
    "valid",
    (("valid", "Valid (no padding)"), ("same", "Same (output as large as input / strides)")),
    "Valid: the window only visits positions inside the input, so the output shrinks. "
    "Same: the input is padded with zeros so the output keeps the input's size (divided by the strides).",
)

USE_BIAS = flag("Use bias", True, "Whether the layer adds a learned bias vector to its output.")
KERNEL_INITIALIZER = initializer(
    "Kernel initializer", "initializer_GlorotUniform", "How the kernel weights start. Unconnected: Glorot uniform."
)
BIAS_INITIALIZER = initializer("Bias initializer", "initializer_Zeros", "How the bias starts. Unconnected: zeros.")
KERNEL_REGULARIZER = regularizer("Kernel regularizer", "Penalty on the kernel weights added to the loss.")
BIAS_REGULARIZER = regularizer("Bias regularizer", "Penalty on the bias added to the loss.")
ACTIVITY_REGULARIZER = regularizer("Activity regularizer", "Penalty on the layer's output added to the loss.")
KERNEL_CONSTRAINT = constraint("Kernel constraint", "Constraint applied to the kernel after each training step.")
BIAS_CONSTRAINT = constraint("Bias constraint", "Constraint applied to the bias after each training step.")

# The weight ports shared by Dense, convolutions and locally connected layers, in Protopipe's order.
KERNEL_AND_BIAS_PORTS = (
    KERNEL_INITIALIZER,
    BIAS_INITIALIZER,
    KERNEL_REGULARIZER,
    BIAS_REGULARIZER,
    ACTIVITY_REGULARIZER,
    KERNEL_CONSTRAINT,
    BIAS_CONSTRAINT,
)

SEED = integer(
    "Seed",
    None,
    "Seed of the random generator, for repeatable results. Empty: a different start each time.",
    optional=True,
    minimum=0,
)
AXES = integers(
    "Axes",
    (0,),
    "The axes along which the norm is computed. For a Dense kernel (inputs, units), axis 0 "
    "constrains each unit's incoming weights.",
    keras_arg=("axis",),
    collapse_single=True,
)
RATE = number(
    "Rate",
    0.5,
    "Fraction of the inputs dropped during training, from 0 to just under 1.",
    minimum=0.0,
    maximum=1.0,
    exclusive_maximum=True,
)

FILTERS = integer("Filters", 32, "Number of filters, that is of channels in the output.", minimum=1)


def fraction(text, default, help):
    """A rate from 0 to just under 1: a share of values dropped, which Keras refuses or makes meaningless at 1."""
    return number(text, default, help, minimum=0.0, maximum=1.0, exclusive_maximum=True)
