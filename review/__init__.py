"""What people do to records: correct fields, accept, split and merge, classify, re-OCR."""
