from __future__ import annotations

import pytest

from lms.accounts.models import Role
from tests import factories
from tests.incentives.receiver import SECRET, PayerReceiver, serve


@pytest.fixture
def receiver(app):
    """A payer receiver on loopback, and the app configured to send it webhooks."""
    payer_side = PayerReceiver()
    server = serve(payer_side)
    app.config.update(PAYER_WEBHOOK_URL=f"http://127.0.0.1:{server.server_port}/webhooks",
                      PAYER_WEBHOOK_SECRET=SECRET, PAYER_WEBHOOK_TIMEOUT=5)
    payer_side.server = server
    yield payer_side
    if payer_side.hold is not None:
        payer_side.hold.set()
    server.shutdown()
    server.server_close()


@pytest.fixture
def payer(app):
    return factories.user(Role.PAYER, email="payer@example.test")
