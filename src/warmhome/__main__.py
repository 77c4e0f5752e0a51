from warmhome.cli import main

main()
