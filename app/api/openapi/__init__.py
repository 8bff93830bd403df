"""The OpenAPI 3.1 document of the API, built in Python from the areas' constants.

Python rather than a YAML file: the limits, patterns and enums of the document are the very
constants the forms validate with, so the contract cannot drift from the code, and ruff
checks it like any other module.
"""
