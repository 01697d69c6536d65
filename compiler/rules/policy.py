"""policy rules (being written)."""

RULES: tuple = ()
