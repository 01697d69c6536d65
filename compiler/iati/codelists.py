"""The IATI codelists mifkit publishes codes from, as kept in the repository (compiler/iati/codelists).

Each file is the official codelist XML, unchanged: the embedded ones (ActivityStatus, BudgetType, …)
from IATI-Codelists, branch version-2.03; the non-embedded ones (Country, Currency, Sector, …) from
IATI-Codelists-NonEmbedded, which serves every 2.0x version.  A code marked withdrawn there is not
accepted.  SOURCES.md beside them says where each came from and under which licence.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from lxml import etree

FOLDER = resources.files("compiler.iati").joinpath("codelists")


@cache
def codelist(name: str) -> dict[str, str]:
    """Active codes of the codelist `name` -> their English name."""
    tree = etree.fromstring(FOLDER.joinpath(f"{name}.xml").read_bytes())
    out = {}
    for item in tree.iterfind("codelist-items/codelist-item"):
        if item.get("status") == "withdrawn":
            continue
        names = item.findall("name/narrative")
        english = next((n.text for n in names if n.get("{http://www.w3.org/XML/1998/namespace}lang") in (None, "en")),
                       "")
        out[item.findtext("code").strip()] = (english or "").strip()
    return out


def has(name: str, code: str) -> bool:
    return str(code) in codelist(name)


def code_by_name(name: str, text: str) -> str | None:
    """The code whose English name is `text` (any case, surrounding spaces ignored), or None."""
    wanted = " ".join(str(text).split()).casefold()
    return next((code for code, label in codelist(name).items() if label.casefold() == wanted), None)


def agency_prefix(identifier: str) -> str | None:
    """The OrganisationRegistrationAgency code an organisation identifier starts with (PE-RUC of
    PE-RUC-20123456789), or None when it starts with none."""
    codes = codelist("OrganisationRegistrationAgency")
    parts = identifier.split("-")
    for n in range(len(parts) - 1, 0, -1):
        prefix = "-".join(parts[:n])
        if prefix in codes:
            return prefix
    return None
