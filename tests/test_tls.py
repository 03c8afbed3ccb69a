"""TLS towards origins: verified by default, a private CA bundle when configured, off only
when the operator says so."""

from __future__ import annotations

import ssl

import pytest

from proxy.settings import Origin
from proxy.tls import ssl_context


def test_default_is_aiohttp_verified_context():
    assert ssl_context(Origin("https://www.example.gov.cn")) is True


def test_verification_off_only_when_configured():
    assert ssl_context(Origin("https://www.example.gov.cn", verify_tls=False)) is False


@pytest.mark.parametrize("bundle", ["/etc/ssl/certs/ca-certificates.crt"])
def test_ca_bundle_builds_a_verifying_context(bundle):
    import os

    if not os.path.exists(bundle):
        pytest.skip("no system CA bundle file")
    context = ssl_context(Origin("https://x.gov.cn", ca_bundle=bundle))
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
