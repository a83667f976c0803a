"""Click commands of the network half (submit, status, result, emulate, schema pull).

Each module exports click command objects; `bwlint/cli.py` registers them.
"""
