# Barrier-Free Proxy as a container: python:3.11-slim, runtime dependencies only, non-root.
#
#   docker build -t barrier-free-proxy .
#   docker run -p 8080:8080 barrier-free-proxy                       # the embedded demo site
#   docker run -p 8080:8080 -e BFP_UPSTREAM=https://www.example.gov.cn barrier-free-proxy
#
# Overridable by mounting (read-only is fine):
#   /app/config.yaml   install configuration (see config.yaml in the repository)
#   /app/rules/        site rule files; edits are picked up live (watch_rules)
# Environment (beats config.yaml): BFP_UPSTREAM, BFP_LISTEN (default 0.0.0.0:8080),
#   BFP_WORKERS (default: all cores), BFP_LOG_FORMAT (text|json, default json here), BFP_RULES.
# SIGTERM: stops accepting, lets in-flight requests finish for up to 20 s (proxy/server.py), so
#   give the runtime more than that: `docker stop -t 25`, Kubernetes terminationGracePeriodSeconds.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Debian packages, in one layer:
# - espeak-ng: 朗读 (/_a11y/listen), the local speech engine; without it the feature hides itself;
# - chromium: renders pages whose scripts write or reveal content (proxy/render/, `render:` in
#   config.yaml), driven by Playwright, which never downloads a browser here. It adds about
#   350 MB to the image; `render.pool_size: 0` leaves it unused.
RUN apt-get update \
    && apt-get install -y --no-install-recommends espeak-ng chromium \
    && rm -rf /var/lib/apt/lists/*

# Install from a throw-away source copy: the image runs the installed package, never a checkout
# (a ./proxy directory in the working directory would shadow it).
COPY pyproject.toml README.md /tmp/src/
COPY proxy /tmp/src/proxy
RUN pip install "/tmp/src[redis,render]" \
    && rm -rf /tmp/src \
    && python -c "import lxml.etree, aiohttp, prometheus_client, redis, playwright, proxy" \
    && useradd --system --uid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin bfp

WORKDIR /app
COPY --chown=root:root config.yaml /app/config.yaml
COPY --chown=root:root rules /app/rules

ENV BFP_LISTEN=0.0.0.0:8080 \
    BFP_LOG_FORMAT=json \
    BFP_CHROMIUM=/usr/bin/chromium \
    HOME=/tmp

USER 10001
EXPOSE 8080
STOPSIGNAL SIGTERM

# No curl in the image: a Python one-liner asks the liveness endpoint on the configured port.
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; port = os.environ.get('BFP_LISTEN', ':8080').rpartition(':')[2]; urllib.request.urlopen(f'http://127.0.0.1:{port}/_a11y/healthz', timeout=4)"]

CMD ["python", "-m", "proxy", "serve", "--config", "/app/config.yaml"]
