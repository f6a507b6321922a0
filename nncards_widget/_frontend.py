"""The name and version of the front-end module in js/, shipped as a prebuilt JupyterLab extension."""

MODULE_NAME = "nncards-widget"
MODULE_VERSION = "^0.1.0"
