"""A live-update stream held open like a browser's EventSource: read events as they come,
reconnect after the server's `retry:` pause with `Last-Event-ID` when the connection drops,
and after 30 s when the server refuses (503: the SPA polls meanwhile)."""

import http.client
import json
import socket
import threading
import time

RECONNECT_SECONDS = 1.0
REFUSED_RETRY_SECONDS = 5.0
# A stream silent longer than this (heartbeats come every 15 s) is dead: reconnect.
READ_TIMEOUT_SECONDS = 40


class LiveStream(threading.Thread):
  """Holds `student`'s stream until `stop()`; `received` maps each event id to (type, data)."""

  def __init__(self, client, stopping, user_id):
    super().__init__(daemon=True)
    self.client = client
    self.user_id = user_id
    self.closed_at = None
    self.connection = None
    self.stopping = stopping
    self.last_event_id = None
    self.received = {}
    self.first_connected = None
    self.connections = 0
    self.refusals = 0
    self.lock = threading.Lock()

  def run(self):
    while not self.stopping.is_set():
      status = self.hold_once()
      if status is not None and status != 200:
        self.refusals += 1
        self.stopping.wait(REFUSED_RETRY_SECONDS)
      else:
        self.stopping.wait(RECONNECT_SECONDS)
    self.closed_at = time.time()

  def hold_once(self):
    """One connection until it ends; its status (None when it never answered)."""
    headers = {'Accept': 'text/event-stream', 'Cookie': self.client.cookie_header()}
    if self.last_event_id:
      headers['Last-Event-ID'] = self.last_event_id
    connection = http.client.HTTPConnection(
      self.client.host, self.client.port, timeout=READ_TIMEOUT_SECONDS
    )
    self.connection = connection
    try:
      connection.request('GET', '/api/events', headers=headers)
      response = connection.getresponse()
      if response.status != 200:
        response.read()
        return response.status
      self.connections += 1
      if self.first_connected is None:
        self.first_connected = time.time()
      self.read_events(response)
      return 200
    except (OSError, http.client.HTTPException):
      return None
    finally:
      connection.close()

  def close(self):
    """End the stream now (its thread is told to stop first)."""
    connection = self.connection
    if connection is not None and connection.sock is not None:
      try:
        connection.sock.shutdown(socket.SHUT_RDWR)
      except OSError:
        pass

  def read_events(self, response):
    event_id, event_type, data = None, None, []
    while not self.stopping.is_set():
      line = response.readline()
      if not line:
        return
      line = line.decode().rstrip('\n')
      if line == '':
        if event_type == 'replaced':
          self.stopping.wait(REFUSED_RETRY_SECONDS)
        if event_id is not None and event_type is not None:
          self.keep(event_id, event_type, '\n'.join(data))
        elif event_id is not None:
          # An id without an event (the stream's first block): a browser keeps it as its
          # Last-Event-ID all the same.
          self.last_event_id = event_id
        event_id, event_type, data = None, None, []
      elif line.startswith('id:'):
        event_id = line[3:].strip()
      elif line.startswith('event:'):
        event_type = line[6:].strip()
      elif line.startswith('data:'):
        data.append(line[5:].strip())

  def keep(self, event_id, event_type, data):
    with self.lock:
      self.received[event_id] = (event_type, json.loads(data) if data else None)
    self.last_event_id = event_id

  def notification_ids(self):
    with self.lock:
      return {
        data.get('id')
        for kind, data in self.received.values()
        if kind == 'notification' and isinstance(data, dict)
      }

  def message_ids(self):
    with self.lock:
      return {
        data['message']['id']
        for kind, data in self.received.values()
        if kind == 'message' and isinstance(data, dict) and 'message' in data
      }
