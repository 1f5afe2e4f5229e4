"""A small OpenAI-compatible chat server for the LLM path, on 127.0.0.1 and a free port.

It answers /v1/chat/completions deterministically from the evidence blocks in the prompt. The mode
is the requested model name: "success" (quotes evidence [1] and also cites a block that does not
exist), "slow" (sleeps past the client's timeout), "malformed" (HTTP 200 with a body that is not a
completion), "http-error" (HTTP 500), "refuse" (says the evidence is insufficient), "invent" (cites
[1] but states a department and a number that are not in the evidence). Every request is recorded.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

SLOW_SECONDS = 3.0


@dataclass
class LLMServer:
    url: str
    requests: list[dict] = field(default_factory=list)


def _evidence(messages: list[dict]) -> dict[int, str]:
    """Evidence blocks "[n] 来源：...\n原文：quote" of the prompt, by number."""
    text = "\n".join(m.get("content") or "" for m in messages if isinstance(m.get("content"), str))
    return {int(n): q.strip() for n, q in re.findall(r"\[(\d+)\] 来源：[^\n]*\n原文：([^\n]*)", text)}


def _reply(mode: str, messages: list[dict]) -> str:
    blocks = _evidence(messages)
    first = blocks.get(1, "")
    if mode == "refuse":
        return "证据不足，无法回答。"
    if mode == "invent":
        return f"根据原文：{first} [1]。另由市交通委负责，补贴 88888 元 [1]。"
    return f"根据原文：{first} [1]。此外还有一条无依据的说法 [{len(blocks) + 7}]。"


def _completion(model: str, content: str) -> dict:
    return {
        "id": "chatcmpl-test", "object": "chat.completion", "created": int(time.time()), "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


class _Handler(BaseHTTPRequestHandler):
    server_version = "policykg-test-llm/1"

    def log_message(self, *args) -> None:  # quiet
        return None

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.records.append({"path": self.path, "body": body})
        if not self.path.endswith("/chat/completions"):
            return self._send(404, {"error": {"message": "not found"}})
        mode = str(body.get("model") or "success")
        if mode == "slow":
            time.sleep(SLOW_SECONDS)
        if mode == "http-error":
            return self._send(500, {"error": {"message": "internal error", "type": "server_error"}})
        if mode == "malformed":
            return self._send(200, {"unexpected": "not a completion"})
        return self._send(200, _completion(mode, _reply(mode, body.get("messages") or [])))

    def _send(self, status: int, payload: dict) -> None:
        data = json.dumps(payload, ensure_ascii=False).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
            self.wfile.write(data)


@pytest.fixture
def llm_server():
    """A running server; stopped (and its thread joined) at teardown."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.records = []
    thread = threading.Thread(target=server.serve_forever, name="test-llm-server", daemon=True)
    thread.start()
    try:
        yield LLMServer(url=f"http://127.0.0.1:{server.server_address[1]}/v1", requests=server.records)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
