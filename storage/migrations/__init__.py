"""Numbered SQL migrations; the number applied last is kept in PRAGMA user_version."""
