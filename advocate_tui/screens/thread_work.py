"""Thread workers that let their screen go when they finish.

Textual sets its active worker in the pool thread's own context (``active_worker``), where it stays after
the work is done: the finished worker, and through it the screen that started it (a data screen with its
charts, a handoff review, a roster import), stayed alive until that thread ran another worker. Every
screen that does its database work in a thread uses :func:`thread_work` instead of ``@work(thread=True)``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from textual import work
from textual.worker import active_worker

__all__ = ["thread_work"]


def thread_work(group: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``@work(thread=True, exclusive=True, group=group)``, with the pool thread's active worker cleared
    when the method returns, so nothing in the thread holds the worker (and its screen) afterwards."""
    def decorate(method: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(method)
        def run(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            finally:
                active_worker.set(None)  # type: ignore[arg-type]
        return work(thread=True, exclusive=True, group=group)(run)
    return decorate
