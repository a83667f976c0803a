from bwlint.cli import main

main()
