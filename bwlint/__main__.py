from bwlint.entry import run

run()
