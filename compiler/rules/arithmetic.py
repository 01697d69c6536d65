"""arithmetic rules (being written)."""

RULES: tuple = ()
