"""Secrets and signed, expiring invitation tokens."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from commonground.core.settings import Settings
from commonground.platform.errors import Forbidden, Unauthenticated

INVITATION_SALT = "commonground-invitation"
ANNOTATION_SALT = "commonground-annotation"
TOKENS_REMEMBERED = 4096
"""Tokens whose signature each process remembers having checked."""


def _persisted(path: Path) -> str:
    """A random secret kept in `path`, created on first use (readable by the owner only)."""
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(32)
    path.write_text(value, encoding="utf-8")
    path.chmod(0o600)
    return value


def secret_key(settings: Settings) -> str:
    """The configured token-signing key, or one generated and kept in data_dir."""
    configured = settings.platform.secret_key
    return configured.get_secret_value() if configured else _persisted(settings.data_dir / "platform_secret")


def admin_key(settings: Settings) -> str:
    """The configured administrator key, or one generated and kept in data_dir."""
    configured = settings.platform.admin_key
    return (
        configured.get_secret_value() if configured else _persisted(settings.data_dir / "platform_admin_key")
    )


@dataclass(frozen=True)
class Grant:
    """What a valid invitation token says: this participant of this conversation, link number `version`
    (a link is revoked by raising the participant's version past it)."""

    participant_id: str
    conversation_id: str
    version: int = 0


class Tokens:
    """Issues and checks invitation tokens; an expired one is 401, a forged one 403.

    The salt keeps kinds of link apart: an annotation link (`ANNOTATION_SALT`, its grant naming the annotator
    and the batch) is never a valid invitation to a conversation, nor the other way round.
    """

    def __init__(self, key: str, *, lifetime_s: float, salt: str = INVITATION_SALT) -> None:
        self._serializer = URLSafeTimedSerializer(key, salt=salt)
        self.lifetime_s = lifetime_s
        # A participant shows one token on every request: its signature is checked once, its age each time.
        self._unsigned = lru_cache(maxsize=TOKENS_REMEMBERED)(self._unsign)

    def _unsign(self, token: str) -> tuple[dict, datetime]:
        return self._serializer.loads(token, return_timestamp=True)

    def issue(self, grant: Grant) -> str:
        """A signed token for the grant (its issue time is inside the signature)."""
        data = {"p": grant.participant_id, "c": grant.conversation_id}
        return self._serializer.dumps(data | ({"v": grant.version} if grant.version else {}))

    def verify(self, token: str) -> Grant:
        """The grant a token carries, or Unauthenticated/Forbidden."""
        try:
            data, issued = self._unsigned(token)
        except BadSignature:
            raise Forbidden("the token is not valid") from None
        age_s = (datetime.now(UTC) - issued).total_seconds()
        if not 0 <= age_s <= self.lifetime_s:
            raise Unauthenticated("the invitation link has expired; ask the administrator for a new one")
        return Grant(participant_id=data["p"], conversation_id=data["c"], version=data.get("v", 0))


def same_key(given: str | None, expected: str) -> bool:
    """Constant-time comparison of an offered administrator key."""
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())
