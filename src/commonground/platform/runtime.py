"""Everything one running platform holds: storage, secrets, detectors, the model, live delivery."""

from __future__ import annotations

import threading
from functools import cached_property

from sqlalchemy.orm import Session

from commonground.core.settings import Settings
from commonground.llm import open_model
from commonground.llm.base import Model
from commonground.platform import store
from commonground.platform.db.engine import database_url, migrate, open_engine, session_factory
from commonground.platform.feed import frames_of
from commonground.platform.hub import Frame, Hub
from commonground.platform.limits import Limiter, RateLimiter, RedisRateLimiter
from commonground.platform.relay import RedisRelay
from commonground.platform.security import ANNOTATION_SALT, Tokens, admin_key, secret_key
from commonground.platform.seen import SeenMarks
from commonground.policy.observe import Detectors
from commonground.signals.incivility import IncivilityDetector
from commonground.signals.incivility.remembered import RememberingDetector


class Platform:
    """The application's state, built once per app from the settings (never at import time)."""

    def __init__(self, settings: Settings, *, model: Model | None = None) -> None:
        self.settings = settings
        self.engine = open_engine(database_url(settings))
        migrate(self.engine)
        self._sessions = session_factory(self.engine)
        key, lifetime_s = secret_key(settings), settings.platform.token_lifetime_s
        self.tokens = Tokens(key, lifetime_s=lifetime_s)
        self.annotation_tokens = Tokens(key, lifetime_s=lifetime_s, salt=ANNOTATION_SALT)
        self.admin_key = admin_key(settings)
        per_minute, redis_url = settings.platform.rate_limit_per_minute, settings.platform.redis_url
        self.relay = RedisRelay(redis_url) if redis_url else None
        self.limiter: Limiter = (
            RedisRateLimiter(self.relay.client, per_minute) if self.relay else RateLimiter(per_minute)
        )
        self.hub = Hub(self._frames, self.relay)
        self.seen = SeenMarks(self.session)
        self._model = model
        self._model_lock = threading.Lock()
        self.jobs_ready = threading.Event()

    def session(self) -> Session:
        """A new database session (use as a context manager)."""
        return self._sessions()

    def _frames(self, conversation_id: str, after: int, limit: int) -> list[Frame]:
        with self.session() as session:
            return frames_of(session, store.events_after(session, conversation_id, after=after, limit=limit))

    @cached_property
    def detector(self) -> IncivilityDetector:
        """The message incivility detector."""
        return RememberingDetector(IncivilityDetector.load(self.settings.platform.detector))

    @cached_property
    def detectors(self) -> Detectors:
        """The detectors the policy observes with."""
        return Detectors.load(self.detector)

    @property
    def thresholds(self) -> dict[str, float]:
        """The detectors' own decision thresholds, by signal: a policy's defaults on this platform."""
        return {"incivility": self.detector.threshold, "derailment_risk": self.detectors.forecaster.threshold}

    def model(self) -> Model:
        """The language model, opened on first use; a failure is retried on the next call."""
        with self._model_lock:
            if self._model is None:
                self._model = open_model(self.settings)
            return self._model

    def url(self, path: str) -> str:
        """An absolute link to `path` at the platform's public address."""
        platform = self.settings.platform
        base = platform.public_url or f"http://{platform.host}:{platform.port}"
        return f"{base.rstrip('/')}{path}"

    def invitation_url(self, token: str) -> str:
        """The link a participant opens to join."""
        return self.url(f"/join/{token}")

    def close(self) -> None:
        """Release the feed readers, the database and Redis connections."""
        self.hub.close()
        self.engine.dispose()
        if self.relay is not None:
            self.relay.close()
