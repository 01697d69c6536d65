"""data rules (being written)."""

RULES: tuple = ()
