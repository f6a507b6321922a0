"""A stand-in for the browser's canvas model: it keeps the records an editor sends,
applying each message as js/src/store.js does, so tests read what a view would draw."""

from __future__ import annotations

import json


class FrontEnd:
    """Connects to an editor as a view does (its "ready" event), then receives every message."""

    def __init__(self, editor):
        self.editor = editor
        self.messages: list[dict] = []
        self.revision = None
        self.specs: dict[str, dict] = {}
        self.cards: dict[str, dict] = {}
        self.connections: dict[str, dict] = {}
        self.frames: dict[str, dict] = {}
        self.view: dict = {}
        self.replies: list[dict] = []  # commands besides records: inline edits' answers, offers
        editor.canvas.send_records = self.receive
        editor.canvas.send_command = self.replies.append
        editor._on_canvas_event({"event": "ready"})

    def receive(self, message: dict) -> None:
        message = json.loads(json.dumps(message))  # what crosses the comm is JSON
        if message["base"] is None:
            self.specs, self.cards, self.connections, self.frames = {}, {}, {}, {}
        else:
            assert message["base"] == self.revision, "a message that does not follow the last one"
        self.messages.append(message)
        self.specs.update(message["specs"])
        for store, records in ((self.cards, message["cards"]), (self.connections, message["connections"])):
            for key, record in records.items():
                if record is None:
                    del store[key]
                else:
                    store[key] = record
        self.frames = message.get("frames", self.frames)
        self.view = message.get("view", self.view)
        self.revision = message["revision"]

    def last(self) -> dict:
        return self.messages[-1]

    def row(self, key: str, port: str) -> str:
        """The value text a card's row shows."""
        record = self.cards[key]
        names = [p["name"] for p in self.specs[record["card"]]["inputs"]]
        return record["rows"][names.index(port)]

    def sent_bytes(self, message: dict) -> int:
        return len(json.dumps(message, separators=(",", ":")))
