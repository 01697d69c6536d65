"""The hostile corpus: damaged, forged and odd workbooks built by code, each with what mifkit must say."""
