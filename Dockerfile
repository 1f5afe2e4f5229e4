# The PolicyKG app image: bootstraps .venv (CPU PyTorch), ingests corpus/docs, serves the app.
# Used by docker-compose.yml (with Neo4j); alone it runs the embedded FalkorDB graph store.
FROM python:3.11-slim
RUN useradd --create-home --uid 1000 policykg && mkdir /data && chown policykg /data
WORKDIR /app
COPY --chown=policykg . .
USER policykg
RUN bash scripts/bootstrap.sh
ENV PATH=/app/.venv/bin:$PATH \
    POLICYKG_DATA_DIR=/data \
    POLICYKG_HOST=0.0.0.0 \
    POLICYKG_ALLOWED_HOSTS='["localhost","127.0.0.1"]'
VOLUME /data
EXPOSE 7860
CMD ["sh", "-c", "policykg ingest && exec policykg serve --host 0.0.0.0"]
