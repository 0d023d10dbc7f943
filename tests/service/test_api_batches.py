"""`/v1/batches`: JSON and file uploads, progress, results as CSV and JSON, report, webhook."""

from __future__ import annotations

import csv
import io
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from openpyxl import Workbook
from standardwebhooks import Webhook

from tests.conftest import EXAMPLES
from tests.service.conftest import COMPLEMENT, Api

ANSWERS = [
    {"answer_id": "s1", "answer": "It helps the two sides build trust in each other."},
    {"answer_id": "s2", "answer": "Informal talks let people speak freely, without pressure."},
    {"answer_id": "s3", "answer": ""},
]


def wait_done(api: Api, batch_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while True:
        batch: dict[str, Any] = api.client.get(f"/v1/batches/{batch_id}", headers=api.a).json()
        if batch["status"] == "done":
            return batch
        assert time.monotonic() < deadline, batch
        time.sleep(0.1)


def test_a_json_batch_is_accepted_then_graded(api: Api) -> None:
    created = api.client.post(
        "/v1/batches", json={"rubric_id": COMPLEMENT, "answers": ANSWERS}, headers=api.a
    )
    assert created.status_code == 202
    assert created.headers["location"] == f"/v1/batches/{created.json()['id']}"
    done = wait_done(api, created.json()["id"])
    assert (done["total"], done["done"], done["errors"]) == (3, 3, 0)
    results = api.client.get(f"/v1/batches/{done['id']}/results", headers=api.a).json()
    assert [r["answer_id"] for r in results] == ["s1", "s2", "s3"]
    assert results[2]["flags"] == ["empty"]


def test_csv_results_are_gradebook_ready(api: Api) -> None:
    batch = api.client.post(
        "/v1/batches", json={"rubric_id": COMPLEMENT, "answers": ANSWERS}, headers=api.a
    ).json()
    wait_done(api, batch["id"])
    answer = api.client.get(f"/v1/batches/{batch['id']}/results?format=csv", headers=api.a)
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(answer.text)))
    assert [r["answer_id"] for r in rows] == ["s1", "s2", "s3"]
    assert {"score", "flags", "coverage:trust-building"} <= set(rows[0])


def test_the_example_csv_upload_is_graded(api: Api) -> None:
    data = (EXAMPLES / "track-ii-answers.csv").read_bytes()
    files = {"file": ("answers.csv", data, "text/csv")}
    created = api.client.post("/v1/batches", files=files, headers=api.a)
    assert created.status_code == 202
    done = wait_done(api, created.json()["id"])
    assert done["errors"] == 0
    assert done["done"] == done["total"] == len(data.decode().strip().splitlines()) - 1


def test_jsonl_and_xlsx_uploads_are_read(api: Api) -> None:
    lines = "\n".join(json.dumps(a) for a in ANSWERS[:2])
    files = {"file": ("a.jsonl", lines.encode(), "application/x-ndjson")}
    jsonl = api.client.post("/v1/batches", files=files, data={"rubric_id": COMPLEMENT},
                            headers=api.a)  # fmt: skip
    assert wait_done(api, jsonl.json()["id"])["total"] == 2
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["answer_id", "answer", "rubric_id"])
    sheet.append(["x1", "It builds trust.", COMPLEMENT])
    buffer = io.BytesIO()
    book.save(buffer)
    files = {"file": ("a.xlsx", buffer.getvalue(), "application/octet-stream")}
    xlsx = api.client.post("/v1/batches", files=files, headers=api.a)
    assert wait_done(api, xlsx.json()["id"])["errors"] == 0


def test_bad_rows_are_reported_with_their_line_and_the_rest_graded(api: Api) -> None:
    text = f"answer_id,answer,rubric_id\na,It builds trust.,{COMPLEMENT}\n,no id,{COMPLEMENT}\n"
    text += "b,Trust.,no/such\n"
    files = {"file": ("a.csv", text.encode(), "text/csv")}
    batch = api.client.post("/v1/batches", files=files, headers=api.a).json()
    assert wait_done(api, batch["id"])["errors"] == 2
    results = api.client.get(f"/v1/batches/{batch['id']}/results", headers=api.a).json()
    errors = {r["line"]: r["error"] for r in results if "error" in r}
    assert errors == {3: "answer_id is empty", 4: "no rubric with id 'no/such'"}


@pytest.mark.parametrize(
    ("name", "data", "status", "detail"),
    [
        ("a.txt", b"answer_id,answer\n", 415, "a batch file ends in .csv, .jsonl or .xlsx"),
        ("a.csv", b"id,text\n1,x\n", 422, "missing column(s) 'answer_id', 'answer'"),
        ("a.xlsx", b"not a workbook", 422, "not a readable XLSX workbook"),
        ("a.csv", b"\xff\xfe\x00bad", 422, "not UTF-8 text"),
    ],
)
def test_unreadable_uploads_are_clear_problems(
    api: Api, name: str, data: bytes, status: int, detail: str
) -> None:
    answer = api.client.post("/v1/batches", files={"file": (name, data)}, headers=api.a)
    assert answer.status_code == status
    assert detail in answer.json()["detail"]


def test_limits_on_rows_and_upload_size(make_api: Any) -> None:
    api = make_api(max_batch_rows=2, max_upload_bytes=1000)
    many = api.client.post(
        "/v1/batches", json={"rubric_id": COMPLEMENT, "answers": ANSWERS}, headers=api.a
    )
    assert many.status_code == 413
    assert "limit is 2" in many.json()["detail"]
    big = {"file": ("a.csv", b"answer_id,answer\n1," + b"x" * 2000 + b"\n", "text/csv")}
    answer = api.client.post("/v1/batches", files=big, headers=api.a)
    assert answer.status_code == 413


def test_other_media_types_are_415(api: Api) -> None:
    answer = api.client.post("/v1/batches", content=b"a,b", headers={**api.a,
                             "content-type": "text/csv"})  # fmt: skip
    assert answer.status_code == 415


def test_the_class_report_gives_each_points_share(api: Api) -> None:
    batch = api.client.post(
        "/v1/batches", json={"rubric_id": COMPLEMENT, "answers": ANSWERS}, headers=api.a
    ).json()
    wait_done(api, batch["id"])
    report = api.client.get(f"/v1/batches/{batch['id']}/report", headers=api.a).json()
    assert report["graded"] == 3
    shares = {p["point_id"]: p["covered"] for p in report["points"]}
    assert set(shares) == {"informal-space", "trust-building", "informs-official"}
    assert all(0 <= s <= 1 for s in shares.values())


class _Receiver(BaseHTTPRequestHandler):
    received: list[tuple[dict[str, str], bytes]] = []

    def do_POST(self) -> None:  # noqa: N802 (the stdlib's name)
        body = self.rfile.read(int(self.headers["content-length"]))
        self.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[tuple[dict[str, str], bytes]]]]:
    server = HTTPServer(("127.0.0.1", 0), _Receiver)
    _Receiver.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", _Receiver.received
    server.shutdown()
    server.server_close()


def test_a_signed_webhook_is_sent_when_the_batch_ends(
    api: Api, receiver: tuple[str, list[tuple[dict[str, str], bytes]]]
) -> None:
    url, received = receiver
    body = {"rubric_id": COMPLEMENT, "answers": ANSWERS, "callback_url": url}
    batch = api.client.post("/v1/batches", json=body, headers=api.a).json()
    wait_done(api, batch["id"])
    deadline = time.monotonic() + 10
    while not received:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    headers, payload = received[0]
    with api.app.state.assess.sessions() as session:
        from service.orm import Batch, Tenant

        tenant = session.get(Tenant, session.get(Batch, batch["id"]).tenant_id)
        secret = tenant.webhook_secret
    event = Webhook(secret).verify(payload, headers)
    assert event["type"] == "batch.completed"
    assert event["data"]["id"] == batch["id"]
    assert event["data"]["done"] == 3
