"""The proof suites (bank test, security suite, schemathesis, soak) share helpers in proof_support/.

Tests run with --import-mode=importlib, so this directory is put on sys.path for `import proof_support`.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
