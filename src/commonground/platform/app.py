"""The FastAPI application: routers, error handlers, templates, static files, and the worker's lifetime."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from commonground.core.settings import Settings, load_settings
from commonground.llm.base import Model
from commonground.platform import realtime, web
from commonground.platform.api import admin, analyze, annotation, conversations, mediator, messages, records
from commonground.platform.errors import install_handlers
from commonground.platform.runtime import Platform
from commonground.platform.worker import Worker

STATIC = Path(__file__).resolve().parent / "static"


def create_app(
    settings: Settings | None = None, *, worker: bool = True, model: Model | None = None
) -> FastAPI:
    """A new application for `settings` (read afresh when not given).

    `worker=False` leaves jobs queued; `model` replaces the configured language model.
    """
    platform = Platform(settings or load_settings(), model=model)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        platform.hub.attach(asyncio.get_running_loop())
        runner = Worker(platform) if worker else None
        if runner is not None:
            runner.start()
        relay = asyncio.create_task(platform.relay.listen(platform.hub)) if platform.relay else None
        seen = asyncio.create_task(platform.seen.run())
        try:
            yield
        finally:
            for task in (relay, seen):
                if task is not None:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            await asyncio.to_thread(platform.seen.write)
            if runner is not None:
                await asyncio.to_thread(runner.stop)
            platform.close()

    app = FastAPI(
        title="commonground",
        summary="Real-time mediated conversations: parties, mediators, administrators and an AI mediator.",
        version="0.1.0",
        lifespan=lifespan,
    )
    app.state.platform = platform
    install_handlers(app)
    for module in (admin, records, conversations, messages, mediator, analyze, annotation, realtime, web):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
