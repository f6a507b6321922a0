"""Preprocessing layer cards: the ones that carry only numbers (no vocabulary, no code),
grouped as Keras's documentation groups them: numerical features, image preprocessing,
image augmentation. (Equalization is left out: Keras 3.15 gives its input tensor back
as its symbolic output, so no model can be made with it.)

Augmentation layers change their input only in training; in use they pass it on (or,
for the crops, resize it), so a model that holds them predicts the same every time.
"""

from __future__ import annotations

from .cards import layer
from .ports import DATA_FORMAT, SEED, choice, flag, integer, integers, number, numbers, tensor_input

_NUMERICAL = ("Layers", "Preprocessing layers", "Numerical features preprocessing layers")
_CATEGORICAL = ("Layers", "Preprocessing layers", "Categorical features preprocessing layers")
_IMAGE = ("Layers", "Preprocessing layers", "Image preprocessing layers")
_AUGMENTATION = ("Layers", "Preprocessing layers", "Image augmentation layers")

_IMAGE_INPUT = tensor_input("Input", "Images: (batch, height, width, channels), or channels first.")

_HEIGHT = integer("Height", 32, "Height of the output images, in pixels.", minimum=1)
_WIDTH = integer("Width", 32, "Width of the output images, in pixels.", minimum=1)

_INTERPOLATION = choice(
    "Interpolation",
    "bilinear",
    (
        ("bilinear", "Bilinear"),
        ("nearest", "Nearest"),
        ("bicubic", "Bicubic"),
        ("lanczos3", "Lanczos 3"),
        ("lanczos5", "Lanczos 5"),
        ("area", "Area"),
    ),
    "How pixels between the input's ones are computed: Nearest copies the closest, the others blend neighbours.",
)
_TRANSFORM_INTERPOLATION = choice(
    "Interpolation",
    "bilinear",
    (("bilinear", "Bilinear"), ("nearest", "Nearest")),
    "How pixels between the input's ones are computed: Nearest copies the closest, Bilinear blends four.",
)
_FILL_MODE = choice(
    "Fill mode",
    "reflect",
    (
        ("reflect", "Reflect (mirror the edge, edge pixel once)"),
        ("wrap", "Wrap (repeat the image)"),
        ("nearest", "Nearest (repeat the edge pixel)"),
        ("constant", "Constant (the fill value)"),
    ),
    "What fills the pixels that the transform brings in from outside the image.",
)
_FILL_VALUE = number("Fill value", 0.0, "The value of new pixels when the fill mode is Constant.")
_VALUE_RANGE = numbers(
    "Value range",
    (0.0, 255.0),
    "The lowest and highest value a pixel can have in the input: (0, 255) for 8-bit images, (0, 1) for scaled ones.",
    lengths=(2,),
)


def _factor(default, help, minimum=None, maximum=None):
    """One number f (Keras takes it as the range -f..f or 0..f) or a (lower, upper) pair."""
    return numbers(
        "Factor",
        default,
        help + " One number f, or a pair (lower, upper).",
        lengths=(1, 2),
        collapse_single=True,
        minimum=minimum,
        maximum=maximum,
    )


def _geometric(name, title, factor_ports, help):
    """An augmentation that moves pixels: its factors, then how new pixels are made."""
    return layer(
        f"layer_{name}",
        title,
        _AUGMENTATION,
        f"keras.layers.{name}",
        (*factor_ports, _FILL_MODE, _TRANSFORM_INTERPOLATION, SEED, _FILL_VALUE, DATA_FORMAT, _IMAGE_INPUT),
        help,
    )


def _colour(name, title, factor, help, own=(), seeded=True, data_format=True):
    """An augmentation that changes pixel values within a value range."""
    return layer(
        f"layer_{name}",
        title,
        _AUGMENTATION,
        f"keras.layers.{name}",
        (
            *((factor,) if factor is not None else ()),
            *own,
            _VALUE_RANGE,
            *((SEED,) if seeded else ()),
            *((DATA_FORMAT,) if data_format else ()),
            _IMAGE_INPUT,
        ),
        help,
    )


_FRACTION_UP = "How far each image is changed, as a fraction of the full range."
_OUTPUT_MODE = choice(
    "Output mode",
    "int",
    (("int", "Integer (the bin's index)"), ("one_hot", "One-hot"), ("multi_hot", "Multi-hot"), ("count", "Count")),
    "Integer: each value becomes its bin's index. One-hot: a vector per value. Multi-hot: one vector per sample, "
    "marking the bins its values fall in. Count: like multi-hot, counting the values per bin.",
)

LAYERS = (
    layer(
        "layer_Normalization",
        "Normalization layer",
        _NUMERICAL,
        "keras.layers.Normalization",
        (
            integers(
                "Axis",
                (-1,),
                "The axes that keep their own mean and variance (the features); -1 is the last. Empty: one mean "
                "and variance for everything.",
                optional=True,
            ),
            numbers(
                "Mean",
                (),
                "The mean subtracted, one per feature (or one for all). Empty: learned by adapt() or loaded with "
                "the weights.",
                optional=True,
                collapse_single=True,
            ),
            numbers(
                "Variance",
                (),
                "The variance divided by (its square root is), one per feature (or one for all); set it with the "
                "mean. Empty: learned with the mean.",
                optional=True,
                collapse_single=True,
                minimum=0.0,
            ),
            flag("Invert", False, "On: undoes the normalization instead (x times the deviation, plus the mean)."),
            tensor_input(),
        ),
        "Brings each feature to mean 0 and variance 1 with a fixed mean and variance: (x - mean) / sqrt(variance).",
    ),
    layer(
        "layer_Discretization",
        "Discretization layer",
        _NUMERICAL,
        "keras.layers.Discretization",
        (
            numbers(
                "Bin boundaries",
                (0.0, 1.0),
                "The values that separate the bins, in increasing order: (0, 1) makes three bins, below 0, "
                "0 to 1, and from 1. Empty: learned by adapt() from the number of bins.",
                optional=True,
            ),
            integer("Num bins", None, "How many bins adapt() makes; only with no boundaries.", optional=True, minimum=1),
            number("Epsilon", 0.01, "How far adapt()'s boundaries may be from the exact quantiles.", minimum=0.0),
            _OUTPUT_MODE,
            flag("Sparse", False, "Whether a one-hot, multi-hot or count output is a sparse tensor."),
            tensor_input(),
        ),
        "Puts each number into a bin: its output is the bin's index, or one-hot, multi-hot or count vectors.",
    ),
    layer(
        "layer_CategoryEncoding",
        "Category encoding layer",
        _CATEGORICAL,
        "keras.layers.CategoryEncoding",
        (
            integer("Num tokens", 10, "How many categories there are: the inputs are integers from 0 to this minus 1.", minimum=1),
            choice(
                "Output mode",
                "multi_hot",
                (("multi_hot", "Multi-hot"), ("one_hot", "One-hot"), ("count", "Count")),
                "One-hot: a vector per integer. Multi-hot: one vector per sample, marking each integer it holds. "
                "Count: like multi-hot, counting how often each occurs.",
            ),
            tensor_input("Input", "Integers (category numbers): (batch,) or (batch, integers)."),
        ),
        "Turns category numbers into one-hot, multi-hot or count vectors.",
    ),
    layer(
        "layer_Rescaling",
        "Rescaling layer",
        _IMAGE,
        "keras.layers.Rescaling",
        (
            number("Scale", 1.0 / 255.0, "The factor every value is multiplied by: 1/255 maps 8-bit pixels to 0..1."),
            number("Offset", 0.0, "The value added after scaling: -1 with scale 1/127.5 maps pixels to -1..1."),
            tensor_input(),
        ),
        "Multiplies every value by a factor and adds an offset, e.g. to bring pixels from 0..255 to 0..1.",
    ),
    layer(
        "layer_Resizing",
        "Resizing layer",
        _IMAGE,
        "keras.layers.Resizing",
        (
            _HEIGHT,
            _WIDTH,
            _INTERPOLATION,
            flag("Crop to aspect ratio", False, "Whether to crop the image to the output's proportions first, so that it is not distorted."),
            flag("Pad to aspect ratio", False, "Whether to pad the image to the output's proportions first, so that it is not distorted."),
            number("Fill value", 0.0, "The value of the padding added to keep the aspect ratio."),
            flag("Antialias", False, "Whether to smooth the image when shrinking it, against jagged edges."),
            DATA_FORMAT,
            _IMAGE_INPUT,
        ),
        "Resizes images to a fixed height and width.",
    ),
    layer(
        "layer_CenterCrop",
        "Center crop layer",
        _IMAGE,
        "keras.layers.CenterCrop",
        (_HEIGHT, _WIDTH, DATA_FORMAT, _IMAGE_INPUT),
        "Cuts the central height x width part out of each image (resizing images smaller than that).",
    ),
    layer(
        "layer_RandomCrop",
        "Random crop layer",
        _AUGMENTATION,
        "keras.layers.RandomCrop",
        (_HEIGHT, _WIDTH, SEED, DATA_FORMAT, _IMAGE_INPUT),
        "In training, cuts a height x width part out of each image at a random place; in use, the central part.",
    ),
    layer(
        "layer_RandomFlip",
        "Random flip layer",
        _AUGMENTATION,
        "keras.layers.RandomFlip",
        (
            choice(
                "Mode",
                "horizontal_and_vertical",
                (
                    ("horizontal_and_vertical", "Horizontal and vertical"),
                    ("horizontal", "Horizontal (left-right)"),
                    ("vertical", "Vertical (upside down)"),
                ),
                "Which flips may happen, each with probability one half.",
            ),
            SEED,
            DATA_FORMAT,
            _IMAGE_INPUT,
        ),
        "In training, mirrors images at random.",
    ),
    _geometric(
        "RandomRotation",
        "Random rotation layer",
        (_factor((-0.2, 0.2), "The rotation, as a fraction of a full turn: 0.1 is up to 36 degrees either way."),),
        "In training, rotates images by a random angle.",
    ),
    _geometric(
        "RandomZoom",
        "Random zoom layer",
        (
            numbers(
                "Height factor",
                (-0.2, 0.2),
                "The zoom of the height, as a fraction: negative zooms in, positive out. One number f "
                "(-f..f) or a pair (lower, upper).",
                lengths=(1, 2),
                collapse_single=True,
            ),
            numbers(
                "Width factor",
                (),
                "The zoom of the width, like the height factor. Empty: the same zoom as the height, "
                "keeping the proportions.",
                lengths=(1, 2),
                optional=True,
                collapse_single=True,
            ),
        ),
        "In training, zooms into or out of images by a random amount.",
    ),
    _geometric(
        "RandomTranslation",
        "Random translation layer",
        tuple(
            numbers(
                f"{axis.capitalize()} factor",
                (-0.2, 0.2),
                f"The shift along the {axis}, as a fraction of it. One number f (-f..f) or a pair (lower, upper).",
                lengths=(1, 2),
                collapse_single=True,
            )
            for axis in ("height", "width")
        ),
        "In training, shifts images by a random distance.",
    ),
    layer(
        "layer_RandomShear",
        "Random shear layer",
        _AUGMENTATION,
        "keras.layers.RandomShear",
        (
            *(
                numbers(
                    f"{axis} factor",
                    (-0.0, 0.0),
                    f"How far the image may slant along {axis}, as a fraction. One number f (-f..f) or a pair.",
                    lengths=(1, 2),
                    collapse_single=True,
                )
                for axis in ("X", "Y")
            ),
            _TRANSFORM_INTERPOLATION,
            _FILL_MODE,
            _FILL_VALUE,
            DATA_FORMAT,
            SEED,
            _IMAGE_INPUT,
        ),
        "In training, slants images by a random amount.",
    ),
    _colour(
        "RandomContrast",
        "Random contrast layer",
        _factor((0.0, 0.2), "How far the contrast may change, as a fraction.", minimum=0.0),
        "In training, changes the contrast of images by a random amount.",
    ),
    _colour(
        "RandomBrightness",
        "Random brightness layer",
        _factor((-0.2, 0.2), "How far the brightness may change, as a fraction of the value range.", minimum=-1.0, maximum=1.0),
        "In training, brightens or darkens images by a random amount.",
    ),
    _colour(
        "RandomHue",
        "Random hue layer",
        _factor((0.0, 0.2), _FRACTION_UP, minimum=0.0, maximum=1.0),
        "In training, shifts the colours of images around the colour wheel by a random amount.",
    ),
    _colour(
        "RandomSaturation",
        "Random saturation layer",
        _factor((-0.2, 0.2), "How far the saturation may change: toward grey below 0.5, toward vivid above."),
        "In training, makes the colours of images more or less vivid by a random amount.",
    ),
    _colour(
        "RandomSharpness",
        "Random sharpness layer",
        _factor((0.0, 0.2), _FRACTION_UP, minimum=0.0, maximum=1.0),
        "In training, sharpens or blurs images by a random amount.",
    ),
    _colour(
        "RandomColorDegeneration",
        "Random color degeneration layer",
        _factor((-0.2, 0.2), "How far the colours may fade toward grey."),
        "In training, blends images with their grey version by a random amount.",
    ),
    _colour(
        "RandomInvert",
        "Random invert layer",
        _factor((0.0, 1.0), "The probability that an image is inverted.", minimum=0.0, maximum=1.0),
        "In training, inverts the values of some images (bright becomes dark).",
    ),
    _colour(
        "RandomPosterization",
        "Random posterization layer",
        _factor((1.0, 4.0), "How many bits each colour value keeps, from 1 to 8.", minimum=1.0, maximum=8.0),
        "In training, keeps only the highest bits of each colour value, making flat patches of colour.",
    ),
    _colour(
        "RandomGaussianBlur",
        "Random Gaussian blur layer",
        _factor((0.0, 1.0), "How likely and how strong the blur is.", minimum=0.0, maximum=1.0),
        "In training, blurs images with a Gaussian filter of random width.",
        own=(
            integers("Kernel size", (3, 3), "Height and width of the blur filter.", minimum=1, lengths=(2,)),
            numbers(
                "Sigma",
                (0.0, 1.0),
                "The width of the Gaussian, in pixels. One number s (0..s) or a pair (lower, upper).",
                lengths=(1, 2),
                collapse_single=True,
                minimum=0.0,
            ),
        ),
    ),
    _colour(
        "RandomErasing",
        "Random erasing layer",
        _factor((0.0, 1.0), "The probability that a patch of an image is erased.", minimum=0.0, maximum=1.0),
        "In training, fills a random rectangle of some images with a value or with noise.",
        own=(
            numbers("Scale", (0.02, 0.33), "The smallest and largest share of the image a patch may cover.", lengths=(2,), minimum=0.0, maximum=1.0),
            number("Fill value", None, "The value the patch is filled with. Empty: random noise.", optional=True),
        ),
    ),
    layer(
        "layer_RandomPerspective",
        "Random perspective layer",
        _AUGMENTATION,
        "keras.layers.RandomPerspective",
        (
            _factor((0.0, 1.0), "The probability that an image is distorted.", minimum=0.0, maximum=1.0),
            number("Scale", 1.0, "How strong the distortion is, from 0 (none) to 1.", minimum=0.0, maximum=1.0),
            _TRANSFORM_INTERPOLATION,
            _FILL_VALUE,
            SEED,
            DATA_FORMAT,
            _IMAGE_INPUT,
        ),
        "In training, distorts images as if seen from another angle.",
    ),
    layer(
        "layer_RandomGrayscale",
        "Random grayscale layer",
        _AUGMENTATION,
        "keras.layers.RandomGrayscale",
        (
            number("Factor", 0.5, "The probability that an image becomes grey.", minimum=0.0, maximum=1.0),
            DATA_FORMAT,
            _IMAGE_INPUT,
        ),
        "In training, turns some images grey (keeping their number of channels).",
    ),
    _colour(
        "Solarization",
        "Solarization layer",
        None,
        "In training, inverts the pixels above a random threshold, after adding a random amount to every pixel.",
        own=tuple(
            numbers(
                text,
                (0.0, 0.0),
                help + " One number f (0..f) or a pair (lower, upper).",
                lengths=(1, 2),
                collapse_single=True,
                minimum=0.0,
                maximum=1.0,
            )
            for text, help in (
                ("Addition factor", "How much may be added to every pixel first, as a fraction of the value range."),
                ("Threshold factor", "Where the threshold may lie, as a fraction of the value range."),
            )
        ),
    ),
    _colour(
        "AutoContrast",
        "Auto contrast layer",
        None,
        "Stretches each image's values to fill the whole value range.",
        seeded=False,
    ),
)
