"""Where things live in a checkout."""

from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
SERVICES_DIR = REPO_ROOT / "services"
DATA_DIR = REPO_ROOT / ".data"
