"""Which proxies' forwarding headers to believe (`TRUSTED_PROXIES`, default none).

The client's address names its sign-in and reset limits. Behind a load balancer every request
comes from the balancer, so all clients would share one count; but believing
`X-Forwarded-For` with no proxy in front lets any client pick a fresh address per request.
So the operator says how many proxies stand in front, and exactly that many hops are read
(`X-Forwarded-For` and `X-Forwarded-Proto`). `X-Forwarded-Host` is never read: links sent
out are built from `PUBLIC_BASE_URL`, not from anything the request says about its host.
"""
from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def trust_proxies(app: Flask) -> None:
    hops = int(app.config.get("TRUSTED_PROXIES") or 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops,  # type: ignore[method-assign]
                                x_host=0, x_port=0, x_prefix=0)
