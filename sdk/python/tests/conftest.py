"""Tests run with --import-mode=importlib: sdk/python is put on sys.path for `import generate`."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
