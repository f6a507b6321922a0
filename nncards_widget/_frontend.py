"""The name and version of the front-end module in js/, shipped as a prebuilt JupyterLab extension."""

from traitlets import HasTraits, Unicode

MODULE_NAME = "nncards-widget"
MODULE_VERSION = "^0.1.0"


class FrontEndModule(HasTraits):
    """Mixed into a widget whose model and view classes come from this package's front-end module."""

    _model_module = Unicode(MODULE_NAME).tag(sync=True)
    _view_module = Unicode(MODULE_NAME).tag(sync=True)
    _model_module_version = Unicode(MODULE_VERSION).tag(sync=True)
    _view_module_version = Unicode(MODULE_VERSION).tag(sync=True)
