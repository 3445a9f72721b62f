"""The floor of one report: start a python3 kernel, import the report's libraries in it, shut it down.

Run by hand, as the yardstick of single-report latency (README, "Benchmark: one report"):

    farm-bench -n 3 --timeout 600 --vs '.venv/bin/python benchmarks/kernel_floor.py' -- \
        .venv/bin/dvctt report --campaign camau-2023 --out /tmp/dvctt-bench

The imports are the report kernels' warm-up (``dvctt.publish.execute.WARM_IMPORTS``), read from its source rather
than imported, so this process pays for no library the floor does not need.
"""

from __future__ import annotations

import ast
import time
from pathlib import Path

from jupyter_client import KernelManager

EXECUTE = Path(__file__).resolve().parents[1] / "src" / "dvctt" / "publish" / "execute.py"


def warm_imports() -> str:
    tree = ast.parse(EXECUTE.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "WARM_IMPORTS" for t in node.targets):
            return ast.literal_eval(node.value)
    raise SystemExit(f"WARM_IMPORTS not found in {EXECUTE}")


def kernel_start_and_imports(code: str | None = None) -> float:
    """Seconds to start a python3 kernel and run ``code`` (default: the report kernels' warm-up) in it, up to
    its reply; the kernel is then shut down (not counted)."""
    start = time.perf_counter()
    km = KernelManager(kernel_name="python3")
    km.start_kernel()
    client = km.client()
    client.start_channels()
    client.wait_for_ready(timeout=120)
    reply = client.execute_interactive(code or warm_imports(), timeout=300, output_hook=lambda _msg: None)
    elapsed = time.perf_counter() - start
    client.stop_channels()
    km.shutdown_kernel(now=True)
    if reply["content"]["status"] != "ok":
        raise SystemExit(f"the imports failed: {reply['content'].get('evalue')}")
    return elapsed


def main() -> None:
    print(f"kernel start + imports: {kernel_start_and_imports():.2f} s")


if __name__ == "__main__":
    main()
