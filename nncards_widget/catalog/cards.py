"""The card table: every card of the catalog, one entry each.

Port order, texts, types and list-ness follow Protopipe's cards exactly; help texts
are ours. The KERAS_ tables and the "keras_input" card are Keras 3's objects beyond
Protopipe's. Adding a Keras layer is adding one `CardSpec` here or in the other
*_cards.py modules.
"""

from __future__ import annotations

from .ports import (
    AXES,
    CONSTRAINT_INSTANCE,
    DATA_FORMAT,
    FILTERS,
    INITIALIZER_INSTANCE,
    KERNEL_AND_BIAS_PORTS,
    LAYER_OUTPUTS,
    REGULARIZER_INSTANCE,
    SEED,
    USE_BIAS,
    activation,
    choice,
    flag,
    integer,
    integers,
    number,
    tensor_input,
    tensor_output,
    text,
)
from .spec import CardSpec

KERAS_DOC = "https://keras.io/api/layers/"


def _initializer(name, title, factory, inputs, help):
    return CardSpec(
        id=f"initializer_{name}",
        title=title,
        category=("Initializers",),
        kind="initializer",
        factory=factory,
        inputs=tuple(inputs),
        outputs=(INITIALIZER_INSTANCE,),
        help=help,
        keras_doc=f"{KERAS_DOC}initializers/#{name.lower()}-class",
    )


def _regularizer(id, title, factory, inputs, help):
    return CardSpec(
        id=id,
        title=title,
        category=("Regularizers",),
        kind="regularizer",
        factory=factory,
        inputs=tuple(inputs),
        outputs=(REGULARIZER_INSTANCE,),
        help=help,
        keras_doc=f"{KERAS_DOC}regularizers/",
    )


def _constraint(name, title, factory, inputs, help):
    return CardSpec(
        id=f"constraint_{name}",
        title=title,
        category=("Constraints",),
        kind="constraint",
        factory=factory,
        inputs=tuple(inputs),
        outputs=(CONSTRAINT_INSTANCE,),
        help=help,
        keras_doc=f"{KERAS_DOC}constraints/#{name.lower()}-class",
    )


def layer(id, title, category, factory, inputs, help, **options):
    """A layer card: its own ports, then Layer instance and Output."""
    return CardSpec(
        id=id,
        title=title,
        category=tuple(category),
        kind="layer",
        factory=factory,
        inputs=tuple(inputs),
        outputs=LAYER_OUTPUTS,
        help=help,
        **options,
    )


_MEAN = number("Mean", 0.0, "Mean of the normal distribution the weights are drawn from.")
_STDDEV = number("Stddev", 0.05, "Standard deviation of the distribution the weights are drawn from.", minimum=0.0)
_GAIN = number("Gain", 1.0, "Factor the generated matrix is multiplied by.")
_MAX_VALUE = number("Max value", 2.0, "Largest norm allowed for the weights along the axes.", minimum=0.0)

INITIALIZERS = (
    _initializer(
        "Constant",
        "Constant initializer",
        "keras.initializers.Constant",
        [number("Value", 0.0, "The value every weight starts at.")],
        "Starts every weight at the same value.",
    ),
    _initializer(
        "GlorotNormal",
        "Glorot normal initializer",
        "keras.initializers.GlorotNormal",
        [SEED],
        "Draws weights from a truncated normal distribution scaled by the layer's fan-in and fan-out (Xavier normal).",
    ),
    _initializer(
        "GlorotUniform",
        "Glorot uniform initializer",
        "keras.initializers.GlorotUniform",
        [SEED],
        "Draws weights uniformly within a range set by the layer's fan-in and fan-out (Xavier uniform).",
    ),
    _initializer(
        "Identity",
        "Identity initializer",
        "nncards_widget.layers.Identity",
        [_GAIN],
        "Starts a 2D weight matrix as the identity matrix (times the gain).",
    ),
    _initializer("Ones", "Ones initializer", "keras.initializers.Ones", [], "Starts every weight at 1."),
    _initializer(
        "Orthogonal",
        "Orthogonal initializer",
        "keras.initializers.Orthogonal",
        [_GAIN, SEED],
        "Starts the weights as a random orthogonal matrix (times the gain); common for recurrent kernels.",
    ),
    _initializer(
        "RandomNormal",
        "Random normal initializer",
        "keras.initializers.RandomNormal",
        [_MEAN, _STDDEV, SEED],
        "Draws weights from a normal distribution.",
    ),
    _initializer(
        "RandomUniform",
        "Random uniform initializer",
        "keras.initializers.RandomUniform",
        [
            number("Minval", -0.05, "Lower bound of the range the weights are drawn from."),
            number("Maxval", 0.05, "Upper bound of the range the weights are drawn from."),
            SEED,
        ],
        "Draws weights uniformly from a range.",
    ),
    _initializer(
        "TruncatedNormal",
        "Truncated normal initializer",
        "keras.initializers.TruncatedNormal",
        [_MEAN, _STDDEV, SEED],
        "Draws weights from a normal distribution, redrawing values more than two standard deviations from the mean.",
    ),
    _initializer(
        "VarianceScaling",
        "Variance scaling initializer",
        "keras.initializers.VarianceScaling",
        [
            number("Scale", 1.0, "Factor of the variance; must be positive.", minimum=0.0),
            choice(
                "Mode",
                "fan_in",
                (("fan_in", "Fan in"), ("fan_out", "Fan out"), ("fan_avg", "Average of fan in and fan out")),
                "Which count of connections the variance is divided by.",
            ),
            choice(
                "Distribution",
                "truncated_normal",
                (
                    ("truncated_normal", "Truncated normal"),
                    ("untruncated_normal", "Normal"),
                    ("uniform", "Uniform"),
                ),
                "The distribution the weights are drawn from.",
            ),
            SEED,
        ],
        "Draws weights with a variance of scale / n, where n counts the layer's input or output connections.",
    ),
    _initializer("Zeros", "Zeros initializer", "keras.initializers.Zeros", [], "Starts every weight at 0."),
)

# Keras 3's initializers beyond Protopipe's: the variance scaling presets. (STFT needs scipy, which the
# package does not depend on.)
_PRESETS = {
    "HeNormal": ("He normal", "a truncated normal distribution of variance 2 / fan-in (for ReLU layers)"),
    "HeUniform": ("He uniform", "a uniform distribution of variance 2 / fan-in (for ReLU layers)"),
    "LecunNormal": ("Lecun normal", "a truncated normal distribution of variance 1 / fan-in (for SELU layers)"),
    "LecunUniform": ("Lecun uniform", "a uniform distribution of variance 1 / fan-in (for SELU layers)"),
}

KERAS_INITIALIZERS = (
    *(
        _initializer(name, f"{title} initializer", f"keras.initializers.{name}", [SEED], f"Draws weights from {drawn}.")
        for name, (title, drawn) in _PRESETS.items()
    ),
)

_PENALTY = "Factor of the penalty; 0 disables it."

REGULARIZERS = (
    _regularizer(
        "regularizer_l1",
        "L1 regularizer",
        "keras.regularizers.L1",
        [number("L", 0.01, _PENALTY + " Adds L x sum(|w|) to the loss.", minimum=0.0, keras_arg=("l1",))],
        "Adds the sum of the weights' absolute values, times L, to the loss: pushes weights to exactly zero.",
    ),
    _regularizer(
        "regularizer_l1_l2",
        "L1 L2 regularizer",
        "keras.regularizers.L1L2",
        [
            number("L1", 0.0, _PENALTY + " Adds L1 x sum(|w|) to the loss.", minimum=0.0),
            number("L2", 0.0, _PENALTY + " Adds L2 x sum(w^2) to the loss.", minimum=0.0),
        ],
        "Adds both an L1 and an L2 penalty on the weights to the loss.",
    ),
    _regularizer(
        "regularizer_l2",
        "L2 regularizer",
        "keras.regularizers.L2",
        [number("L", 0.01, _PENALTY + " Adds L x sum(w^2) to the loss.", minimum=0.0, keras_arg=("l2",))],
        "Adds the sum of the squared weights, times L, to the loss (weight decay): keeps weights small.",
    ),
)

KERAS_REGULARIZERS = (
    _regularizer(
        "regularizer_OrthogonalRegularizer",
        "Orthogonal regularizer",
        "keras.regularizers.OrthogonalRegularizer",
        [
            number("Factor", 0.01, _PENALTY, minimum=0.0),
            choice(
                "Mode",
                "rows",
                (("rows", "Rows"), ("columns", "Columns")),
                "Which vectors of the kernel are pushed to be orthogonal: its rows or its columns.",
            ),
        ],
        "Adds to the loss how far the kernel's rows (or columns) are from being orthogonal unit vectors.",
    ),
)

CONSTRAINTS = (
    _constraint(
        "MaxNorm",
        "Max norm constraint",
        "keras.constraints.MaxNorm",
        [_MAX_VALUE, AXES],
        "After each step, rescales weights whose norm exceeds the maximum.",
    ),
    _constraint(
        "MinMaxNorm",
        "Min max norm constraint",
        "keras.constraints.MinMaxNorm",
        [
            number("Min value", 0.0, "Smallest norm allowed for the weights along the axes.", minimum=0.0),
            number("Max value", 1.0, "Largest norm allowed for the weights along the axes.", minimum=0.0),
            number(
                "Rate",
                1.0,
                "How far each step moves the norm into the range: 1 clips exactly, smaller values move part way.",
                minimum=0.0,
                maximum=1.0,
            ),
            AXES,
        ],
        "After each step, rescales weights so that their norm lies between a minimum and a maximum.",
    ),
    _constraint(
        "NonNeg", "Non neg constraint", "keras.constraints.NonNeg", [], "After each step, sets negative weights to zero."
    ),
    _constraint(
        "RadialConstraint",
        "Radial constraint constraint",
        "nncards_widget.layers.RadialConstraint",
        [],
        "After each step, makes every 2D kernel radially symmetric (its values depend only on the distance to the centre).",
    ),
    _constraint(
        "UnitNorm",
        "Unit norm constraint",
        "keras.constraints.UnitNorm",
        [AXES],
        "After each step, rescales weights to a norm of exactly 1 along the axes.",
    ),
)

_INPUT_PORTS = (
    text("Name", "", "The name of this input of the model; empty: the card's own name."),
    integers(
        "Shape",
        (28, 28, 1),
        "The shape of one sample, without the batch axis: (28, 28, 1) for a 28x28 grey image. "
        "None for an axis of any size: (None, 16) for sequences of any length with 16 features.",
        minimum=1,
        none_entries=True,
    ),
)
_DATA = tensor_output("Data", "The samples fed into the model, with a batch axis first.")
_DTYPE = choice(
    "Dtype",
    "float32",
    tuple(
        (dtype, dtype)
        for dtype in (
            "float32", "float16", "bfloat16", "float64", "int8", "int16", "int32", "int64",
            "uint8", "uint16", "uint32", "uint64", "bool",
        )
    ),
    "The type of the values fed in: int32 or int64 for ids, as an Embedding takes.",
)

ENDPOINTS = (
    CardSpec(
        id="input",
        title="Input",
        category=(),
        kind="input",
        factory="keras.Input",
        inputs=_INPUT_PORTS,
        outputs=(_DATA,),
        help="An input of the model: where samples enter the network.",
    ),
    CardSpec(
        id="keras_input",
        title="Input (with dtype)",
        category=(),
        kind="input",
        factory="keras.Input",
        inputs=(*_INPUT_PORTS, _DTYPE),
        outputs=(_DATA,),
        help="An input of the model for values other than 32-bit floats, such as integer ids for an Embedding.",
    ),
    CardSpec(
        id="output",
        title="Output",
        category=(),
        kind="output",
        factory=None,
        inputs=(
            text("Name", "", "The name of this output of the model; empty: the card's own name."),
            tensor_input("Data", "The tensor the model returns as this output."),
        ),
        outputs=(),
        help="An output of the model: what the network predicts.",
    ),
)

def _locally_connected(dims, factory):
    spatial = "2D" if dims == 2 else "1D"
    size_ports = (
        (
            integers("Kernel size", (3, 3), "Height and width of the window each filter sees.", minimum=1, lengths=(2,)),
            integers("Strides", (1, 1), "Step of the window along the height and the width.", minimum=1, lengths=(2,)),
        )
        if dims == 2
        else (
            integer("Kernel size", 3, "Length of the window each filter sees.", minimum=1),
            integer("Strides", 1, "Step of the window along the sequence.", minimum=1),
        )
    )
    return layer(
        f"layer_LocallyConnected{spatial}",
        f"Locally connected {spatial} layer",
        ("Layers", "Locally connected layers"),
        factory,
        (FILTERS, *size_ports, DATA_FORMAT, activation(), USE_BIAS, *KERNEL_AND_BIAS_PORTS, tensor_input()),
        f"Like a {spatial} convolution, but every output position has its own, unshared weights.",
    )


CORE_LAYERS = (
    layer(
        "layer_Dense",
        "Dense layer",
        ("Layers",),
        "keras.layers.Dense",
        (
            integer("Units", 32, "Number of outputs (neurons) of the layer.", minimum=1),
            activation(),
            USE_BIAS,
            *KERNEL_AND_BIAS_PORTS,
            tensor_input(),
        ),
        "Every output is a weighted sum of all inputs along the last axis, plus a bias.",
    ),
    layer(
        "layer_Flatten",
        "Flatten layer",
        ("Layers", "Reshaping layers"),
        "keras.layers.Flatten",
        (DATA_FORMAT, tensor_input()),
        "Flattens each sample into one vector: (batch, 24, 24, 3) becomes (batch, 1728).",
    ),
    _locally_connected(1, "nncards_widget.layers.LocallyConnected1D"),
    _locally_connected(2, "nncards_widget.layers.LocallyConnected2D"),
)
