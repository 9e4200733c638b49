# The bot, for running several processes on one PostgreSQL database (see "Running at scale" in README.md).
FROM python:3.11-slim

# Logs straight to the container's output; no .pyc files in the image.
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1

WORKDIR /app
COPY pyproject.toml README.md ./
COPY app.py bot.py ./
COPY cogs cogs
COPY demo demo
COPY mastermind mastermind
COPY prompts prompts
COPY storage storage
RUN pip install --no-cache-dir ".[postgres]"

# Run as a user without privileges.
RUN useradd --create-home --uid 10001 bot
USER bot

CMD ["python", "bot.py"]
