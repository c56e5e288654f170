"""What every command shares: one transaction, and domain errors as clear messages."""
from __future__ import annotations

import functools

import click

from lms.errors import AlurError
from lms.extensions import db


def domain_command(func):
    """Run a command in one transaction; a domain error becomes a clear message and exit 1."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            result = func(*args, **kwargs)
            db.session.commit()
            return result
        except AlurError as error:
            db.session.rollback()
            raise click.ClickException(str(error.message)) from None
    return wrapper
