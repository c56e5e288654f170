from __future__ import annotations

import click
from flask.cli import AppGroup

from lms.accounts import services
from lms.accounts.models import Role
from lms.cli_support import domain_command
from lms.errors import NotFound

users_cli = AppGroup("users", help="Manage accounts.")
tokens_cli = AppGroup("tokens", help="Manage API tokens.")
providers_cli = AppGroup("providers", help="Manage training providers.")


@users_cli.command("create")
@click.argument("email")
@click.option("--password", required=True, help="At least 8 characters.")
@click.option("--role", type=click.Choice(Role.ALL), default=Role.LEARNER, show_default=True)
@click.option("--provider", "provider_slug", help="Provider slug (required for provider staff).")
@click.option("--name", default="", help="Full name (defaults to the e-mail's local part).")
@domain_command
def create_user(email: str, password: str, role: str, provider_slug: str | None, name: str):
    """Create an account."""
    user = services.create_user(None, email, password, role, name, provider_slug)
    click.echo(f"created {user.role} {user.email} (id {user.id})")


@tokens_cli.command("create")
@click.argument("email")
@click.option("--label", default="cli")
@domain_command
def create_token(email: str, label: str):
    """Print a new API token for the account (shown once)."""
    user = services.find_user(email)
    if user is None:
        raise NotFound(f"no account with e-mail {email}")
    click.echo(services.create_api_token(user, label))


@providers_cli.command("create")
@click.argument("slug")
@click.argument("name")
@domain_command
def create_provider(slug: str, name: str):
    """Create a training provider."""
    provider = services.create_provider(None, slug, name)
    click.echo(f"created provider {provider.slug}")
