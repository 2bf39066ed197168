"""``python -m backtrans``."""

from .cli.commands import main

if __name__ == "__main__":
    main()
