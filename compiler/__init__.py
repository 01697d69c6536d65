"""Reads the project workbooks into a model, validates them, and compiles the Word progress reports.

Runs without Excel; only the `addin` package imports xlwings.
"""
