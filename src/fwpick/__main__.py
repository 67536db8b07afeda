from fwpick.cli import main

main()
