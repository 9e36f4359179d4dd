"""Shared pieces: settings, errors, hand-off data classes, database, storage, Vietnamese text."""
