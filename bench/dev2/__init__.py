"""dev2: a second validation corpus made by a generator independent of the one behind dev.

See ``bench/dev2/README.md``. Run ``python -m bench.dev2 --out DIR --seed N --count K``.
"""

GENERATOR_VERSION = "1.0"
