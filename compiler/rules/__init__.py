"""The rule catalogue: every rule, in the order `mifkit rules` lists them.

Codes are stable: AR arithmetic, FP funding policy, DA data, EX execution, FX local currency (in the
execution group), RV budget revisions, LF logical framework.
A new rule is a class in one of the modules below, added to CATALOGUE.
"""

from __future__ import annotations

from compiler.rules import arithmetic, currency, data, execution, logframe, policy, revision
from compiler.rules.base import GROUPS, Context, Rule

CATALOGUE: tuple[Rule, ...] = (*arithmetic.RULES, *policy.RULES, *data.RULES, *execution.RULES,
                                *currency.RULES, *revision.RULES, *logframe.RULES)
RULE_BY_CODE = {r.code: r for r in CATALOGUE}

__all__ = ["CATALOGUE", "GROUPS", "RULE_BY_CODE", "Context", "Rule"]
