"""Account forms; every message is translatable and names the field at fault."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp

from lms.accounts.models import Role
from lms.accounts.services import MIN_PASSWORD_LENGTH


def _email_field() -> EmailField:
    return EmailField(_l("E-mail"), validators=[
        DataRequired(_l("Enter your e-mail address.")),
        Length(max=254, message=_l("An e-mail address has at most 254 characters.")),
        Email(_l("This is not a valid e-mail address."), check_deliverability=False),
    ])


def _new_password_fields():
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Choose a password.")),
        Length(min=MIN_PASSWORD_LENGTH, max=200,
               message=_l("A password has between 8 and 200 characters.")),
    ])
    confirm = PasswordField(_l("Repeat the password"), validators=[
        EqualTo("password", _l("The two passwords differ."))])
    return password, confirm


def _existing_email_field() -> StringField:
    # No syntax check where an existing account is looked up: the lookup decides, and
    # addresses created by admins on internal domains must still work.
    return StringField(_l("E-mail"), validators=[
        DataRequired(_l("Enter your e-mail address.")), Length(max=254)])


class LoginForm(FlaskForm):
    email = _existing_email_field()
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter your password.")), Length(max=200)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class SignupForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[
        DataRequired(_l("Enter your name.")),
        Length(max=120, message=_l("A name has at most 120 characters."))])
    email = _email_field()
    password, confirm = _new_password_fields()


class ForgotPasswordForm(FlaskForm):
    email = _existing_email_field()


class ResetPasswordForm(FlaskForm):
    password, confirm = _new_password_fields()


class StaffUserForm(FlaskForm):
    """Admins create provider staff, admins and payer accounts (learners sign up themselves)."""

    name = StringField(_l("Full name"), validators=[
        DataRequired(_l("Enter the person's name.")), Length(max=120)])
    email = _email_field()
    role = SelectField(_l("Role"), choices=[(r, r) for r in Role.ALL])
    provider = SelectField(_l("Provider"), choices=[], validators=[Optional()])
    password, confirm = _new_password_fields()


class ProviderForm(FlaskForm):
    name = StringField(_l("Name"), validators=[
        DataRequired(_l("Enter the provider's name.")), Length(max=200)])
    slug = StringField(_l("Short name (slug)"), validators=[
        DataRequired(_l("Enter a short name.")), Length(max=80),
        Regexp(r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
               message=_l("Use lower-case letters, digits and dashes."))])
