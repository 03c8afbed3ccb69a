"""TLS towards origins: the system CA store by default, a per-site bundle when configured."""

from __future__ import annotations

import ssl
from functools import lru_cache

from proxy.settings import Origin


@lru_cache(maxsize=64)
def ssl_context(origin: Origin) -> ssl.SSLContext | bool:
    """True = aiohttp's default verified context; False only when the operator turned it off
    (logged at start-up by the app)."""
    if not origin.verify_tls:
        return False
    if origin.ca_bundle:
        return ssl.create_default_context(cafile=origin.ca_bundle)
    return True
