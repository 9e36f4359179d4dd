"""The ``sohoa`` command line: one module per command group, one error handler."""
