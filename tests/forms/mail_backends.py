"""Mail backends for the email-claim tests: one counting what leaves (any thread),
one that blocks on a given subject (the worker is killed while it waits)."""

import os
import threading
import time
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend

SENT = []  # (subject, thread name) of every message sent in this process
_lock = threading.Lock()


class CountingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        for message in messages:
            time.sleep(0.002)  # long enough for the other senders to race
            with _lock:
                SENT.append((message.subject, threading.current_thread().name))
        return len(messages)


class FileLogBackend(BaseEmailBackend):
    """Appends each subject to MAIL_LOG (a file the test reads: the worker is another
    process). On the subject BLOCK_ON, writes BLOCKED_FILE and waits for ever: the
    mail server has the message (the line is written), the row is not marked yet."""

    def send_messages(self, messages):
        for message in messages:
            with Path(os.environ["MAIL_LOG"]).open("a") as log:
                log.write(message.subject + "\n")
            if message.subject == os.environ.get("BLOCK_ON"):
                Path(os.environ["BLOCKED_FILE"]).write_text(str(os.getpid()))
                while True:
                    time.sleep(1)
        return len(messages)
