"""``python -m pipeline.demo [DATA_DIR]``: the small pipeline, then the main job."""

from __future__ import annotations

import sys

from pipeline.demo import show_small_pipeline
from pipeline.demo.job import run_job

if __name__ == "__main__":
    show_small_pipeline()
    sys.exit(run_job(sys.argv[1] if len(sys.argv) > 1 else "data/taxi"))
