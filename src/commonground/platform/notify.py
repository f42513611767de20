"""Telling participants who are away that a message arrived: an e-mail, through the configured SMTP server,
with a link that opens the conversation. The worker sends it once the message has gone unseen for
`platform.mail.notify_after_s`.

A participant is away when the feed has not delivered the message to them (no open page, no read of the
feed). They get one mail per absence: no other until they have come back and seen the conversation. The
mail names who wrote, never what: the text stays on the platform.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta
from email.message import EmailMessage

from sqlalchemy import select
from sqlalchemy.orm import Session

from commonground.core.settings import MailSettings
from commonground.platform import store
from commonground.platform.conversations import invitation
from commonground.platform.db.models import JobRow, MessageRow, ParticipantRow, utcnow
from commonground.platform.decisions import enqueue
from commonground.platform.runtime import Platform

SMTP_TIMEOUT_S = 30
BODY = """Hello {name},

{author} wrote in "{title}" while you were away. Open the conversation:

{url}

This link is yours alone: please do not pass it on.
"""


def queue(platform: Platform, session: Session, message: MessageRow) -> None:
    """After a message, a notification job for each other person with an e-mail address (if mail is on)."""
    mail = platform.settings.platform.mail
    if mail.host is None:
        return
    readers = select(ParticipantRow.id).where(
        ParticipantRow.conversation_id == message.conversation_id,
        ParticipantRow.id != message.participant_id,
        ParticipantRow.is_ai.is_(False),
        ParticipantRow.removed_at.is_(None),
        ParticipantRow.email.is_not(None),
    )
    due = utcnow() + timedelta(seconds=mail.notify_after_s)
    for reader in session.scalars(readers):
        payload = {"participant_id": reader, "message_id": message.id}
        enqueue(session, message.conversation_id, "notify", payload, due_at=due)


def away(reader: ParticipantRow, message: MessageRow) -> bool:
    """Whether `reader` has not seen `message` and was not told of anything since they last looked."""
    return (
        reader.removed_at is None
        and reader.email is not None
        and reader.seen_seq < message.seq
        and reader.notified_seq <= reader.seen_seq
    )


def mail_for(
    platform: Platform, session: Session, reader: ParticipantRow, message: MessageRow
) -> EmailMessage:
    """The notification: who wrote where, and the reader's own link to the conversation."""
    conversation = store.conversation(session, message.conversation_id)
    author = session.get(ParticipantRow, message.participant_id)
    who = author.name if author is not None else "Someone"
    mail = EmailMessage()
    mail["From"] = platform.settings.platform.mail.sender
    mail["To"] = reader.email
    mail["Subject"] = f'{who} wrote in "{conversation.title}"'
    url = invitation(platform, reader).url
    mail.set_content(BODY.format(name=reader.name, author=who, title=conversation.title, url=url))
    return mail


def send(settings: MailSettings, mail: EmailMessage) -> None:
    """Hand the mail to the SMTP server (an SMTP or network error is raised: the job fails, and says why)."""
    assert settings.host is not None
    kind = smtplib.SMTP_SSL if settings.security == "tls" else smtplib.SMTP
    with kind(settings.host, settings.port, timeout=SMTP_TIMEOUT_S) as server:
        if settings.security == "starttls":
            server.starttls()
        if settings.username:
            password = settings.password.get_secret_value() if settings.password else ""
            server.login(settings.username, password)
        server.send_message(mail)


def run(platform: Platform, session: Session, job: JobRow) -> None:
    """The worker's notification job: mail the reader if they are still away (this process's sockets write
    how far they read first; another process's are at most `seen.WRITE_EVERY_S` behind)."""
    platform.seen.write()
    reader = session.get(ParticipantRow, job.payload["participant_id"])
    message = session.get(MessageRow, job.payload["message_id"])
    if reader is None or message is None or not away(reader, message):
        return
    send(platform.settings.platform.mail, mail_for(platform, session, reader, message))
    reader.notified_seq = message.seq
