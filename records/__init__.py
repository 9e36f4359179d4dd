"""Records out: the export contract (JSONL, CSV)."""
