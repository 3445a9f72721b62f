"""The kernel client dvctt's kernel managers hand out: jupyter_client's, ready as soon as the kernel is.

jupyter_client's ``wait_for_ready`` ends by waiting for 0.2 s of silence on IOPub, on every new client; a report
opens two or three (the warm-up, Papermill's, a kept kernel's reset), each on the critical path of a report an
analyst is waiting for. This client is ready when IOPub shows the idle status of its own ``kernel_info``
request: that proves IOPub is connected (what the silence was for) and that the request's own messages have been
read, so nothing of it reaches the next request. Messages for other requests were never a concern: nbclient and
``execute_interactive`` skip every message whose parent is not their request.
"""

from __future__ import annotations

import time
from queue import Empty
from typing import Any

from jupyter_client.blocking.client import BlockingKernelClient

REPLY_WAIT = 1.0  # seconds for one kernel_info reply before asking again (jupyter_client's own)
IDLE_WAIT = 0.5  # seconds for the request's idle status; longer means IOPub was not connected yet: ask again


class ReadyKernelClient(BlockingKernelClient):
    def wait_for_ready(self, timeout: float | None = None) -> None:
        """Block until the kernel answers ``kernel_info`` on the shell channel and IOPub shows that request's
        idle status; RuntimeError when the kernel dies or ``timeout`` seconds pass."""
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            request = self.kernel_info()
            try:
                reply = self.shell_channel.get_msg(timeout=REPLY_WAIT)
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply" and self._idle_seen(request):
                self._handle_kernel_info_reply(reply)
                return
            if not self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")

    def _idle_seen(self, request: str) -> bool:
        end = time.monotonic() + IDLE_WAIT
        while (left := end - time.monotonic()) > 0:
            try:
                message: dict[str, Any] = self.iopub_channel.get_msg(timeout=left)
            except Empty:
                return False
            if (
                message["msg_type"] == "status"
                and message["content"].get("execution_state") == "idle"
                and message["parent_header"].get("msg_id") == request
            ):
                return True
        return False
