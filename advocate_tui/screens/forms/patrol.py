"""Placeholder while the patrol form is written."""
from .base import FormScreen


class PatrolForm(FormScreen):
    FORM = "patrol"
