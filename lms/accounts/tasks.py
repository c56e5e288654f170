"""Background work of accounts: password-reset mail, sent by the worker.

The request that asks for a reset only queues this job, whether or not the address has an
account: the answer then takes the same time either way, and a slow mail server never holds
a request (or a web worker) open.
"""
from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from lms.accounts import services
from lms.mail import public_url_for, send_mail
from lms.tasks import app_task


@app_task(retries=3, retry_delay=60)
def send_password_reset(email: str, locale: str) -> None:
    user = services.find_user(email)
    if user is None or not user.active:
        return
    link = public_url_for("accounts.reset_password", token=services.make_reset_token(user))
    with force_locale(user.locale or locale):
        send_mail(user.email, _("Reset your Alur password"),
                  _("Open this link within an hour to choose a new password:\n%(link)s",
                    link=link))
