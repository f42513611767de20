"""Server-rendered pages: joining by link, the chat (party and mediator), the administrator's pages."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
