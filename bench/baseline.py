"""The bare-Flask baseline: one endpoint with an empty body, served like the app."""
from __future__ import annotations

from flask import Flask

app = Flask(__name__)


@app.get("/")
def empty():
    return ""
