"""`bwlint emulate`: Zoho's wire as Zoho's own SDK speaks it, and the emulator's rules."""

from __future__ import annotations

import copy
import csv
import io
import json
import subprocess
import sys
import threading
import time
import zipfile
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import httpx
import pytest
from emulator import EXAMPLES, ROOT, Client, running, zipped

from bwlint.paths import MODULES_DIR

LEADS_JOB = json.loads((EXAMPLES / "leads" / "job.json").read_text())
LEADS_CSV = EXAMPLES / "leads" / "leads.csv"


def leads_job(file_id: str, **changes) -> dict:
    job = copy.deepcopy(LEADS_JOB)
    job.pop("callback")
    job["resource"][0]["file_id"] = file_id
    job.update(changes)
    return job


def finished(client: Client, job_id: str) -> dict:
    for _ in range(200):
        body = client.get(f"/crm/bulk/v8/write/{job_id}").json()
        if body["status"] in ("COMPLETED", "FAILED"):
            return body
        time.sleep(0.02)
    raise AssertionError("the job never finished")


def result_rows(client: Client, details: dict) -> dict[str, list[list[str]]]:
    url = details["result"]["download_url"]
    response = httpx.get(url if url.startswith("http") else client.url + url, headers=client.auth)
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return {
        name: list(csv.reader(io.StringIO(archive.read(name).decode())))
        for name in archive.namelist()
    }


def test_the_official_sdk_works_against_it_unchanged(tmp_path: Path) -> None:
    pytest.importorskip("zohocrmsdk")
    upload = tmp_path / "leads.zip"
    upload.write_bytes(zipped(LEADS_CSV))
    with running(job_seconds=0.3) as emulator:
        done = subprocess.run(
            [
                sys.executable,
                str(ROOT / "tests" / "sdk_flow.py"),
                emulator.url,
                str(tmp_path),
                str(upload),
                str(EXAMPLES / "leads" / "job.json"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=tmp_path,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        seen = json.loads(done.stdout.strip().splitlines()[-1])
        assert emulator.state.summary()["jobs"] == 1
    assert seen["upload_type"] == "SuccessResponse" and seen["create_status"] == 201
    assert seen["statuses"][-1] == "COMPLETED"
    assert seen["counts"] == {"added": 3, "skipped": 0, "total": 3}
    assert seen["download_type"] == "FileBodyWrapper"
    assert seen["download_name"] == f"{seen['job_id']}.zip"
    assert zipfile.ZipFile(seen["download_path"]).namelist() == ["Leads-leads.csv"]
    assert "Last_Name" in seen["field_names"]


def test_first_line_and_loopback(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bwlint", "emulate", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        line = process.stdout.readline().rstrip("\n")
        assert line.startswith("bwlint emulate: listening on http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1]
        answer = httpx.get(f"{url}/crm/v8/org")
        assert answer.status_code == 401 and answer.json()["code"] == "INVALID_TOKEN"
    finally:
        process.terminate()
        _, err = process.communicate(timeout=10)
    assert err.endswith("bwlint emulate: stopped\n")  # SIGTERM as Ctrl-C: said, exit 0
    assert process.returncode == 0


def test_tokens_scopes_and_accepted_credentials() -> None:
    with running(client_id="only-me", scopes=("ZohoCRM.bulk.ALL",)) as emulator:
        url = emulator.url
        refused = httpx.post(
            f"{url}/oauth/v2/token",
            data={
                "grant_type": "refresh_token",
                "client_id": "someone",
                "client_secret": "x",
                "refresh_token": "y",
            },
        )
        assert refused.status_code == 200 and refused.json() == {"error": "invalid_client"}
        grant = httpx.post(
            f"{url}/oauth/v2/token",
            params={
                "grant_type": "refresh_token",
                "client_id": "only-me",
                "client_secret": "x",
                "refresh_token": "y",
            },
        ).json()
        assert grant["expires_in"] == 3600 and grant["api_domain"] == url
        auth = {"Authorization": f"Zoho-oauthtoken {grant['access_token']}"}
        fields = httpx.get(f"{url}/crm/v8/settings/fields?module=Leads", headers=auth)
        assert fields.status_code == 401 and fields.json()["code"] == "OAUTH_SCOPE_MISMATCH"
        emulator.state.expire_tokens()
        gone = httpx.get(f"{url}/crm/bulk/v8/write/1", headers=auth)
        assert gone.status_code == 401 and gone.json()["code"] == "INVALID_TOKEN"


def test_upload_errors_in_every_documented_shape() -> None:
    with running() as emulator:
        client = Client(emulator.url)
        missing = client.upload(zipped(LEADS_CSV), **{"X-CRM-ORG": "0"})
        assert missing.status_code == 400 and "X-CRM-ORG" in missing.json()["x-error"]
        not_zip = client.upload(b"Last_Name\nX\n")
        assert not_zip.status_code == 400 and not_zip.json()["code"] == "INVALID_FILE_FORMAT"
        unknown = client.create(leads_job("999"))
        assert unknown.status_code == 400 and unknown.json()["code"] == "INVALID_FILE_ID"
        assert client.get("/crm/bulk/v8/write/42").json()["code"] == "RESOURCE_NOT_FOUND"
    with running(errors_as_200=True, max_upload_bytes=100) as emulator:
        client = Client(emulator.url)
        too_big = client.upload(zipped(LEADS_CSV))
        assert too_big.status_code == 200 and too_big.json()["code"] == "FILE_TOO_LARGE"


def test_job_level_problem_gets_the_code_bwlint_predicts() -> None:
    with running() as emulator:
        client = Client(emulator.url)
        file_id = client.upload(zipped(LEADS_CSV)).json()["details"]["file_id"]
        job = leads_job(file_id)
        job["resource"][0]["field_mappings"] = [
            m for m in job["resource"][0]["field_mappings"] if m["api_name"] != "Last_Name"
        ]
        refused = client.create(job)
        assert refused.status_code == 400
        assert refused.json()["code"] == "MANDATORY_FIELDS_NOT_MAPPED"
        assert emulator.state.summary()["jobs"] == 0


def unique_email_schema(folder: Path) -> Path:
    body = json.loads((MODULES_DIR / "Leads.json").read_text())
    for field in body["fields"]:
        if field["api_name"] == "Email":
            field["unique"] = {"case_sensitive": False}
    folder.mkdir(exist_ok=True)
    (folder / "Leads.json").write_text(json.dumps(body))
    return folder


def test_records_are_kept_duplicates_caught_updates_found(tmp_path: Path) -> None:
    schema = unique_email_schema(tmp_path / "schema")
    with running(schema_dir=schema, state_dir=tmp_path / "state") as emulator:
        client = Client(emulator.url)
        file_id = client.upload(zipped(LEADS_CSV)).json()["details"]["file_id"]
        first = client.create(leads_job(file_id)).json()["details"]["id"]
        rows = result_rows(client, finished(client, first))["Leads-leads.csv"]
        assert [row[3] for row in rows[1:]] == ["added"] * 3
        ids = [row[4] for row in rows[1:]]
        again = client.create(leads_job(file_id)).json()["details"]["id"]
        details = finished(client, again)
        assert details["resource"][0]["file"]["skipped_count"] == 3
        rows = result_rows(client, details)["Leads-leads.csv"]
        assert {row[-1] for row in rows[1:]} == {"DUPLICATE_DATA-Email"}
    update = tmp_path / "update.csv"
    update.write_text("id,Last_Name\n" + "".join(f"{i},Renamed\n" for i in ids) + "1234,Nobody\n")
    mappings = [{"api_name": "id", "index": 0}, {"api_name": "Last_Name", "index": 1}]
    resource = {
        "type": "data",
        "module": {"api_name": "Leads"},
        "find_by": "id",
        "file_id": "",
        "field_mappings": mappings,
    }
    body = {"operation": "update", "resource": [resource]}
    with running(schema_dir=schema, state_dir=tmp_path / "state") as emulator:  # restarted
        client = Client(emulator.url)
        body["resource"][0]["file_id"] = client.upload(zipped(update)).json()["details"]["file_id"]
        job_id = client.create(body).json()["details"]["id"]
        rows = result_rows(client, finished(client, job_id))["Leads-update.csv"]
        assert [row[2] for row in rows[1:]] == ["updated"] * 3 + ["skipped"]
        assert rows[-1][-1] == "RESOURCE_NOT_FOUND-id"
        assert emulator.state.records["Leads"][ids[0]]["Last_Name"] == "Renamed"


def test_statuses_relative_download_url_and_credits() -> None:
    with running(
        in_progress="INPROGRESS", relative_download_url=True, job_seconds=3600, daily_credits=1000
    ) as emulator:
        client = Client(emulator.url)
        file_id = client.upload(zipped(LEADS_CSV)).json()["details"]["file_id"]
        created = client.create(leads_job(file_id))
        assert created.status_code == 201
        assert created.headers["X-API-CREDITS-REMAINING"] == "500"
        job_id = created.json()["details"]["id"]
        seen = []
        # the job's clock moved on by hand (no race with a short job_seconds): a quarter
        # of job_seconds ADDED, IN PROGRESS until its end, then COMPLETED
        for elapsed in (0, 1800, 3600):
            with emulator.state.lock:
                emulator.state.jobs[job_id]["created"] = time.time() - elapsed
            status = client.get(f"/crm/bulk/v8/write/{job_id}").json()
            seen.append(status["status"])
        assert seen == ["ADDED", "INPROGRESS", "COMPLETED"]
        url = status["result"]["download_url"]
        assert url.startswith("/v8/crm/")
        download = httpx.get(client.url + "/" + url, headers=client.auth)  # the SDK's join
        assert download.headers["content-type"] == "application/octet-stream"
        assert download.headers["content-disposition"] == f'attachment; filename="{job_id}.zip"'
        assert client.create(leads_job(file_id)).status_code == 201
        over = client.create(leads_job(file_id))
        assert over.status_code == 429 and over.json()["code"] == "TOO_MANY_REQUESTS"


def test_the_callback_is_posted_to_a_loopback_url() -> None:
    received: list[dict] = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    receiver = HTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, args=(0.01,), daemon=True).start()
    callback = {"url": f"http://127.0.0.1:{receiver.server_port}/hook", "method": "post"}
    try:
        with running(job_seconds=0.1) as emulator:
            client = Client(emulator.url)
            file_id = client.upload(zipped(LEADS_CSV)).json()["details"]["file_id"]
            client.create(leads_job(file_id, callback=callback))
            for _ in range(100):
                if received:
                    break
                time.sleep(0.02)
    finally:
        receiver.shutdown()
    assert received and received[0]["status"] == "COMPLETED"
    assert "download_url" in received[0]["result"]


def test_faults_answer_as_configured() -> None:
    with running(faults=["503:org:1", "429:status:1"], slow_seconds=0.05) as emulator:
        url = emulator.url
        grant = {
            "grant_type": "refresh_token",
            "client_id": "a",
            "client_secret": "b",
            "refresh_token": "c",
        }
        token = httpx.post(f"{url}/oauth/v2/token", data=grant).json()["access_token"]
        auth = {"Authorization": f"Zoho-oauthtoken {token}"}
        assert httpx.get(f"{url}/crm/v8/org", headers=auth).status_code == 503
        assert httpx.get(f"{url}/crm/v8/org", headers=auth).status_code == 200
        bad = httpx.post(f"{url}/_emulator/faults", json={"faults": ["sometimes:org"]})
        assert bad.status_code == 400
        httpx.post(f"{url}/_emulator/faults", json={"faults": ["slow:org"]})
        started = time.monotonic()
        assert httpx.get(f"{url}/crm/v8/org", headers=auth).status_code == 200
        assert time.monotonic() - started >= 0.05
        httpx.post(f"{url}/_emulator/faults", json={"faults": ["drop:org"]})
        with pytest.raises(httpx.RemoteProtocolError):
            httpx.get(f"{url}/crm/v8/org", headers=auth)
