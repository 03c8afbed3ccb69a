"""Barrier-Free Proxy: serves a barrier-free mode of legacy sites, rewritten on the fly."""

__version__ = "0.1.0"
