"""Team outcomes per quarter or date range (built in a later step)."""

from flask import Blueprint

bp = Blueprint("outcomes", __name__, url_prefix="/outcomes")
