"""Weekly and monthly progress reports (XLSX, PDF, CSV) in Vietnamese."""
