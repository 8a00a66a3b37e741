"""The rule catalogue: one module per rule, in one folder per review dimension.

A module defines `META` and one check decorated with `@file_rule` or `@project_rule`;
placing the module here is its registration (see `registry`).
"""
