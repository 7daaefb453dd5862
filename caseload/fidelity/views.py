"""The fidelity scale: computed items and the coordinator's own scores (built in a later step)."""

from flask import Blueprint

bp = Blueprint("fidelity", __name__, url_prefix="/fidelity")
