# syntax=docker/dockerfile:1
# The Konspekt team server (`konspekt serve`): docs/server-container.md tells how to run it.
# Build: docker build -t konspekt-server .

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder
# llama-cpp-python is compiled here; portable flags as in the Makefile (no -march=native:
# a native build uses AVX-512/AMX where the image is built and crashes where it runs).
ENV CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DLLAVA_BUILD=OFF" \
    UV_PYTHON_DOWNLOADS=never \
    UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    UV_PROJECT_ENVIRONMENT=/opt/konspekt/venv
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential cmake git \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir "uv==0.13.8"
WORKDIR /src
# Dependencies first (their layer survives code changes), then the project itself.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY core core
COPY cli cli
COPY server server
COPY desktop desktop
COPY resources resources
RUN uv sync --frozen --no-dev --no-editable

FROM ${PYTHON_IMAGE}
# libgomp: llama.cpp's CPU threads (OpenMP). A fixed uid, so secret files mounted from
# the host can be given to it (compose ignores a file secret's uid and mode).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 libstdc++6 \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 konspekt \
    && useradd --system --uid 10001 --gid konspekt --create-home --home-dir /home/konspekt \
       --shell /usr/sbin/nologin konspekt \
    && mkdir -p /data /models \
    && chown konspekt:konspekt /data /models \
    && chmod 0700 /data
COPY --from=builder /opt/konspekt/venv /opt/konspekt/venv
COPY --chmod=0755 packaging/server-entrypoint.sh /usr/local/bin/konspekt-entrypoint
ENV PATH=/opt/konspekt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    HF_HUB_OFFLINE=1 \
    KONSPEKT_DATA_DIR=/data \
    KONSPEKT_MODELS_DIR=/models \
    KONSPEKT_KEY_STORE=env \
    KONSPEKT_HOST=0.0.0.0 \
    KONSPEKT_PORT=8443
USER konspekt
WORKDIR /home/konspekt
VOLUME ["/data", "/models"]
EXPOSE 8443
# Loopback self-check: the certificate is self-signed (or the company's, for another
# name), so this one request does not verify it; nothing but /health is sent.
HEALTHCHECK --interval=30s --timeout=10s --start-period=180s --retries=3 \
    CMD ["python", "-c", "import os, ssl, sys, urllib.request as u; c = ssl._create_unverified_context(); r = u.urlopen('https://127.0.0.1:%s/health' % os.environ.get('KONSPEKT_PORT', '8443'), context=c, timeout=8); sys.exit(0 if r.status == 200 else 1)"]
ENTRYPOINT ["konspekt-entrypoint"]
