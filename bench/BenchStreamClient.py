"""Hold many Server-Sent Events streams open from one thread (asyncio) and note when each
event arrives, for the live-updates load (bench/BenchStreams.py)."""

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime

from bench.BenchClient import SESSION_COOKIE_NAME

CONNECT_TIMEOUT_SECONDS = 30


@dataclass
class StreamRecord:
  """One open stream: whose it is, whether it connected, and the messages it received."""

  user_id: int
  connected: bool = False
  failure: str = ''
  # {message id: (time.monotonic() of receipt, seconds from the message's created_at, set
  # just before its commit, to its receipt)}
  messages: dict = field(default_factory=dict)
  events: int = 0


class StreamHolder:
  """Opens `GET /api/events` once per (user id, cookie) pair and reads until stopped."""

  def __init__(self, port, sessions):
    self.port = port
    self.sessions = sessions
    self.records = [StreamRecord(user_id) for user_id, _ in sessions]
    self.loop = asyncio.new_event_loop()
    self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
    self.tasks = []

  def start(self):
    """Open every stream; returns once each has connected or failed."""
    self.thread.start()
    opened = asyncio.run_coroutine_threadsafe(self.open_all(), self.loop)
    opened.result(timeout=CONNECT_TIMEOUT_SECONDS * 2)
    return self

  async def open_all(self):
    ready = []
    for record, (_, cookie) in zip(self.records, self.sessions, strict=True):
      connected = self.loop.create_future()
      self.tasks.append(self.loop.create_task(self.read_stream(record, cookie, connected)))
      ready.append(connected)
    await asyncio.wait(ready, timeout=CONNECT_TIMEOUT_SECONDS)

  async def read_stream(self, record, cookie, connected):
    """One stream: HTTP/1.0 (no chunking; the body ends when the server closes it)."""
    try:
      reader, writer = await asyncio.open_connection('127.0.0.1', self.port, limit=1 << 20)
      writer.write(
        (
          'GET /api/events HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n'
          f'Cookie: {SESSION_COOKIE_NAME}={cookie}\r\n\r\n'
        ).encode()
      )
      await writer.drain()
      status_line = (await reader.readline()).decode()
      if ' 200 ' not in status_line:
        raise RuntimeError(status_line.strip() or 'no answer')
      while (await reader.readline()).strip():
        pass
      record.connected = True
      connected.set_result(True)
      await self.read_events(record, reader)
    except (OSError, RuntimeError, asyncio.IncompleteReadError) as error:
      record.failure = f'{type(error).__name__}: {error}'
      if not connected.done():
        connected.set_result(False)
    except asyncio.CancelledError:
      pass

  async def read_events(self, record, reader):
    """Note each `message` event's message id and receipt time."""
    event_type, data = None, None
    while True:
      line = await reader.readline()
      if not line:
        return
      text = line.decode().rstrip('\r\n')
      if text.startswith('event: '):
        event_type = text[len('event: ') :]
      elif text.startswith('data: '):
        data = text[len('data: ') :]
      elif not text and event_type:
        record.events += 1
        if event_type == 'message':
          message = json.loads(data)['message']
          created = datetime.fromisoformat(message['created_at'].replace('Z', '+00:00'))
          since_commit = time.time() - created.timestamp()
          record.messages[message['id']] = (time.monotonic(), since_commit)
        event_type, data = None, None

  def stop(self):
    """Close every stream and the loop."""

    async def cancel_all():
      for task in self.tasks:
        task.cancel()
      await asyncio.gather(*self.tasks, return_exceptions=True)

    asyncio.run_coroutine_threadsafe(cancel_all(), self.loop).result(timeout=30)
    self.loop.call_soon_threadsafe(self.loop.stop)
    self.thread.join(timeout=10)
