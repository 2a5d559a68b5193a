"""Tables of the data exchange (数据交换): API keys, the Open311 write log, 12345 hotline
orders and the outbox of messages sent back to the hotline platform.

They live in ``store`` (not in ``gridstation.exchange``) because ``gridstation.schema``, which
gathers the whole metadata for Alembic, sits below the exchange layer.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gridstation.store.model import Base, BigId


class ApiKey(Base):
    """An API key of a client application (app, mini-program, partner system) or of one
    handheld user (a supervisor: reports made with the key are that supervisor's reports).

    Only a SHA-256 of the secret is kept: keys are 32 random bytes, so a fast hash is enough
    (nothing to brute-force) and checking one costs microseconds on every request.
    """

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # "application" | "handheld"
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    # The first characters of the key, shown in lists and used to find the row.
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    rate_per_minute: Mapped[int] = mapped_column(Integer, default=600)
    note: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class Open311Request(Base):
    """Every accepted Open311 write (the audit of the service): which key made which case,
    with what the spec carries that a case has no column for (e-mail, device, media URL)."""

    __tablename__ = "open311_request"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    api_key_id: Mapped[int] = mapped_column(ForeignKey("api_key.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    email: Mapped[str] = mapped_column(String(128), default="")
    device_id: Mapped[str] = mapped_column(String(128), default="")
    account_id: Mapped[str] = mapped_column(String(128), default="")
    media_url: Mapped[str] = mapped_column(String(1024), default="")
    # The client's own id of the request (``Idempotency-Key`` header): a retry of the same
    # POST returns the case made the first time instead of making a second one.
    client_token: Mapped[str | None] = mapped_column(String(128))

    __table_args__ = (UniqueConstraint("api_key_id", "client_token"),)


class HotlineOrder(Base):
    """A 12345 hotline work order (工单) handed over by the hotline platform, and its case."""

    __tablename__ = "hotline_order"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    order_no: Mapped[str] = mapped_column(String(64), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    source: Mapped[str] = mapped_column(String(255), default="")  # file name or endpoint
    payload: Mapped[dict] = mapped_column(JSON)
    # The last case event already turned into outbox messages.
    last_event_id: Mapped[int] = mapped_column(Integer, default=0)
    # 交换状态 as the client shows it: received, sending (messages wait for an ack), synced, closed.
    exchange_state: Mapped[str] = mapped_column(String(16), default="received")


class ExchangeOutbox(Base):
    """A message to the hotline platform (status, reply, closing), resent until acknowledged.

    ``message_id`` is stable ("<order>-<event id>"): the platform drops a message it already
    has, and a resend after a lost acknowledgement changes nothing there.
    """

    __tablename__ = "exchange_outbox"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(96), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("hotline_order.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # status | reply | close
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    acked_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    done: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (Index("ix_exchange_outbox_done_next", "done", "next_attempt_at"),)
