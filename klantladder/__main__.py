from klantladder.cli import main

main()
