"""TLS towards origins: verified by default, a private CA bundle when configured, off only
when the operator says so."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from proxy.http.tls import ssl_context
from proxy.settings import Origin


def test_default_is_aiohttp_verified_context():
    assert ssl_context(Origin("https://www.example.gov.cn")) is True


def test_verification_off_only_when_configured():
    assert ssl_context(Origin("https://www.example.gov.cn", verify_tls=False)) is False


SYSTEM_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")


@pytest.mark.skipif(not SYSTEM_BUNDLE.exists(), reason="no system CA bundle file to load")
def test_ca_bundle_builds_a_verifying_context():
    context = ssl_context(Origin("https://x.gov.cn", ca_bundle=str(SYSTEM_BUNDLE)))
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 0  # the bundle's CAs were loaded


def test_a_missing_bundle_is_an_error_not_an_unverified_connection(tmp_path):
    with pytest.raises(OSError):
        ssl_context(Origin("https://y.gov.cn", ca_bundle=str(tmp_path / "missing.pem")))
