"""The Excel add-in: validation buttons that run the same rules as the command line."""
