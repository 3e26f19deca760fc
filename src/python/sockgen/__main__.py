"""``python -m sockgen generate-client ...``"""

from .cli import main

raise SystemExit(main())
