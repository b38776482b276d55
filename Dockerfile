# The 两优 mailbot: one image for the worker (mailbot run), the dashboard (mailbot serve) and the one-off commands.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY mailbot ./mailbot
COPY parsers ./parsers
COPY routing ./routing
RUN pip install ".[postgres]"

# The shipped campaign folder (config/campaigns/liangyou: campaign.toml + roster.csv), found from WORKDIR /app; a site
# mounts its own settings.toml, whose campaign key (or MAILBOT_CAMPAIGN) may name another folder.
COPY config ./config
ENV MAILBOT_SETTINGS=/app/config/settings.toml

# Never run as root: the worker only needs its data directory (SQLite, when no PostgreSQL is given).
RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home mailbot \
    && mkdir -p /app/var && chown mailbot:mailbot /app/var
USER mailbot
VOLUME ["/app/var"]
EXPOSE 8080

ENTRYPOINT ["mailbot"]
CMD ["run"]
