from bwlint.cli import run

run()
