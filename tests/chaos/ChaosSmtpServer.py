"""An SMTP server (aiosmtpd) for the chaos run, in a process of its own so a fault can hang it
(SIGSTOP): `python -m tests.chaos.ChaosSmtpServer PORT FILE` appends one JSON line per mail."""

import json
import sys
import threading
from email import message_from_bytes
from email.policy import default as default_policy

from aiosmtpd.controller import Controller


class FileCapturingHandler:
  """Appends each mail's recipient, subject and Dibz mail key to a file, flushed at once."""

  def __init__(self, path):
    self.path = path
    self.lock = threading.Lock()

  async def handle_DATA(self, server, session, envelope):  # noqa: N802 # aiosmtpd names the hook
    message = message_from_bytes(envelope.content, policy=default_policy)
    line = json.dumps(
      {'to': message['To'], 'subject': message['Subject'], 'key': message['X-Dibz-Mail-Key']}
    )
    with self.lock, open(self.path, 'a') as capture:
      capture.write(line + '\n')
    return '250 OK'


def main():
  port, path = int(sys.argv[1]), sys.argv[2]
  controller = Controller(FileCapturingHandler(path), hostname='127.0.0.1', port=port)
  controller.start()
  threading.Event().wait()


if __name__ == '__main__':
  main()
