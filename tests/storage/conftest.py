from __future__ import annotations

from datetime import UTC, datetime

import pytest

from storage import Store

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
async def store(tmp_path):
    store = Store(tmp_path / "test.sqlite3")
    await store.open()
    yield store
    await store.close()
