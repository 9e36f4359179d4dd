"""Backups of the database and every stored file, and restoring them."""
