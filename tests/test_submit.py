"""`bwlint submit`, `status`, `result` and `schema pull` against the emulator."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from emulator import EXAMPLES, ROOT, running
from runner import bwlint

from bwlint.errors import UsageError

SECRETS = {
    "ZOHO_CLIENT_ID": "1000.TESTCLIENTID",
    "ZOHO_CLIENT_SECRET": "s3cr3t-CLIENT-7f1d9e",
    "ZOHO_REFRESH_TOKEN": "1000.r3fr3sh-TOKEN-4c2b8a",
}
FAST = ("--poll-interval", "0.05", "--retry-wait", "0.01")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    return tmp_path


def env(work: Path) -> dict[str, str]:
    return {**SECRETS, "XDG_STATE_HOME": str(work / "state"), "BWLINT_DEBUG": None}


def submit(work: Path, url: str, *args: str) -> subprocess.CompletedProcess:
    return bwlint("submit", *args, "--base-url", url, *FAST, cwd=work, **env(work))


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def journal(work: Path) -> list[dict]:
    folder = work / "state" / "bwlint" / "journal"
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def test_a_clean_job_end_to_end(work: Path) -> None:
    job, csv = work / "examples/leads/job.json", work / "examples/leads/leads.csv"
    before = (sha(job), sha(csv))
    with running() as emulator:
        done = submit(work, emulator.url, "examples/leads/job.json")
        assert emulator.state.summary()["jobs"] == 1
    assert done.returncode == 0, done.stderr
    (entry,) = journal(work)
    assert entry["step"] == "downloaded" and entry["status"] == "COMPLETED"
    saved = work / "examples/leads/results" / entry["job_id"] / "Leads-leads.csv"
    assert saved.is_file() and f"saved {saved.relative_to(work)}" in done.stdout
    assert "STATUS,RECORD_ID,ERRORS" in saved.read_text().splitlines()[0]
    assert "Leads (Leads-leads.csv): 3 added, 0 updated, 0 skipped of 3" in done.stdout
    assert "Leads-leads.csv: Zoho and bwlint agree on all 3 records" in done.stdout
    assert (sha(job), sha(csv)) == before  # the user's files are never modified
    assert entry["request"]["resource"][0]["file_id"] == entry["file_id"]

    again = bwlint(
        "submit",
        "examples/leads/job.json",
        "--base-url",
        emulator.url,
        cwd=work,
        XDG_STATE_HOME=str(work / "state"),
        ZOHO_CLIENT_SECRET=None,
    )
    assert again.returncode == 2 and "--again" in again.stderr  # no server, no secret needed
    assert len(again.stderr.strip().splitlines()) == 1


def test_a_parent_child_job_goes_in_one_zip(work: Path) -> None:
    folder = work / "examples/parent-child"
    with running() as emulator:
        done = submit(
            work,
            emulator.url,
            "examples/parent-child/job.json",
            str(folder / "quotes.csv"),
            str(folder / "quoted_items.csv"),
        )
        (upload,) = emulator.state.files
        names = zipfile.ZipFile(emulator.state.file_path(upload)).namelist()
    assert done.returncode == 0, done.stderr
    assert sorted(names) == ["quoted_items.csv", "quotes.csv"]
    assert "Quoted_Items (Quoted_Items-quoted_items.csv): 6 added" in done.stdout
    assert "Quotes-quotes.csv: Zoho and bwlint agree on all 3 records" in done.stdout


def test_a_job_with_errors_is_refused_before_upload(work: Path) -> None:
    csv = work / "examples/leads/leads.csv"
    csv.write_text(csv.read_text().replace("ana@bolt.example", "ana@"))
    with running() as emulator:
        done = submit(work, emulator.url, "examples/leads/job.json")
        assert emulator.state.hits["upload"] == 0 and emulator.state.hits["token"] == 0
    assert done.returncode == 1
    assert "BW402" in done.stdout and "refused: 1 error finding(s)" in done.stderr


def test_429_then_success_and_a_5xx_while_polling(work: Path) -> None:
    with running(faults=["429:create:1", "503:status:2", "500:upload:1"]) as emulator:
        done = submit(work, emulator.url, "examples/leads/job.json", "--verbose")
        hits = emulator.state.hits
        assert emulator.state.summary()["jobs"] == 1
    assert done.returncode == 0, done.stderr
    assert hits["create"] == 2 and hits["upload"] == 2
    assert "HTTP 429: retrying" in done.stderr and "HTTP 503: retrying" in done.stderr


def test_an_expired_token_is_refreshed_once(work: Path) -> None:
    with running(faults=["expire:status:1"]) as emulator:
        done = submit(work, emulator.url, "examples/leads/job.json", "--verbose")
        hits = emulator.state.hits
    assert done.returncode == 0, done.stderr
    assert hits["token"] == 2
    assert "<- 401" in done.stderr


@pytest.mark.parametrize("fault", ["503:create:1", "drop:create:1", "drop-after:create:1"])
def test_a_create_that_may_have_reached_zoho_is_never_repeated(work: Path, fault: str) -> None:
    with running(faults=[fault]) as emulator:
        done = submit(work, emulator.url, "examples/leads/job.json")
        assert emulator.state.hits["create"] == 1
        created = emulator.state.summary()["jobs"]
        rerun = submit(work, emulator.url, "examples/leads/job.json")
        assert emulator.state.hits["create"] == 1
    assert created == (1 if fault == "drop-after:create:1" else 0)
    assert done.returncode == 2 and "a job may exist" in done.stderr
    assert rerun.returncode == 2 and "--again" in rerun.stderr
    assert journal(work)[0]["step"] == "create-unknown"


class Interrupt(Exception):
    pass


@pytest.mark.parametrize("step", ["uploaded", "creating", "created"])
def test_an_interruption_resumes_with_exactly_one_job(
    work: Path, step: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bwlint.services import journal as journal_module
    from bwlint.services.connection import ConnectionOptions, Output
    from bwlint.services.follow import PollSettings
    from bwlint.services.plan import ConfigChoice, Inputs, make_plan
    from bwlint.services.submit import Session, submit_jobs
    from bwlint.services.submit_check import check_for_submit
    from bwlint.zoho.settings import ZohoSettings

    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(work)
    plan = make_plan(
        Inputs(("examples/leads/job.json",)), config_choice=ConfigChoice(isolated=True)
    )
    checked = check_for_submit(plan)
    original = journal_module.Journal.write

    def crash_after(self, entry, step_now=None):
        original(self, entry, step_now)
        if entry.step == step:
            raise KeyboardInterrupt  # Ctrl-C right after the step was recorded

    with running() as emulator:
        session = Session(
            ConnectionOptions(base_url=emulator.url, retry_wait=0.01),
            ZohoSettings(),
            journal_module.Journal(work / "journal"),
            Output(),
            PollSettings(first=0.05),
        )
        monkeypatch.setattr(journal_module.Journal, "write", crash_after)
        with pytest.raises(KeyboardInterrupt):
            submit_jobs(session, checked)
        monkeypatch.setattr(journal_module.Journal, "write", original)
        session = Session(
            ConnectionOptions(base_url=emulator.url),
            ZohoSettings(),
            journal_module.Journal(work / "journal"),
            Output(),
            PollSettings(first=0.05),
        )
        if step == "creating":  # the request may have gone: never sent again by itself
            with pytest.raises(UsageError, match="a job may exist"):
                submit_jobs(session, checked)
            assert emulator.state.summary()["jobs"] == 0
            return
        assert submit_jobs(session, checked) == 0
        summary = emulator.state.summary()
    assert summary["uploads"] == 1 and summary["jobs"] == 1


def test_ctrl_c_while_following_then_resume(work: Path) -> None:
    with running(job_seconds=60) as emulator:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "bwlint",
                "submit",
                "examples/leads/job.json",
                "--base-url",
                emulator.url,
                "--poll-interval",
                "0.05",
            ],
            cwd=work,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={
                **os.environ,
                **SECRETS,
                "PYTHONPATH": str(ROOT),
                "XDG_STATE_HOME": str(work / "state"),
            },
        )
        for _ in range(300):
            if any(e.get("job_id") for e in journal(work)) if (work / "state").exists() else 0:
                break
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _out, err = process.communicate(timeout=30)
        assert process.returncode == 2
        assert "run the same command again to resume" in err
        emulator.config.job_seconds = 0  # Zoho finishes the job meanwhile
        done = submit(work, emulator.url, "examples/leads/job.json")
        summary = emulator.state.summary()
    assert done.returncode == 0, done.stderr
    assert "resuming from the journal at step 'created'" in done.stdout
    assert summary["uploads"] == 1 and summary["jobs"] == 1


def test_status_result_and_other_wire_forms(work: Path) -> None:
    with running(relative_download_url=True, in_progress="INPROGRESS") as emulator:
        done = submit(work, emulator.url, "examples/leads/job.json", "--no-wait")
        assert done.returncode == 0, done.stderr
        (entry,) = journal(work)
        job_id = entry["job_id"]
        status = bwlint("status", job_id, cwd=work, **env(work))  # hosts from the journal
        result = bwlint("result", job_id, "--poll-interval", "0.05", cwd=work, **env(work))
        unknown = bwlint("status", "42", "--base-url", emulator.url, cwd=work, **env(work))
    assert status.returncode == 0 and f"job {job_id}:" in status.stdout
    assert result.returncode == 0, result.stderr
    assert "agree on all 3 records" in result.stdout
    assert unknown.returncode == 2 and "RESOURCE_NOT_FOUND" in unknown.stderr


def test_skipped_records_exit_1_and_the_disagreement_is_shown(work: Path) -> None:
    schema = work / "schema"
    with running() as emulator:
        pulled = bwlint(
            "schema",
            "pull",
            "--module",
            "Leads",
            "--out",
            str(schema),
            "--base-url",
            emulator.url,
            cwd=work,
            **env(work),
        )
        assert pulled.returncode == 0, pulled.stderr
    body = json.loads((schema / "Leads.json").read_text())
    for field in body["fields"]:
        if field["api_name"] == "Email":
            field["unique"] = {"case_sensitive": False}
    (schema / "Leads.json").write_text(json.dumps(body))
    with running(schema_dir=schema) as emulator:
        first = submit(work, emulator.url, "examples/leads/job.json")
        second = submit(work, emulator.url, "examples/leads/job.json", "--again")
    assert first.returncode == 0, first.stderr
    assert second.returncode == 1
    assert "3 skipped of 3" in second.stdout and "DUPLICATE_DATA  Email" in second.stdout
    assert "Zoho and bwlint disagree on 3 of 3 records" in second.stdout
    assert "Zoho skipped (DUPLICATE_DATA-Email); bwlint predicted added" in second.stdout


def test_schema_pull_writes_what_schema_dir_reads(work: Path) -> None:
    with running() as emulator:
        done = bwlint(
            "schema",
            "pull",
            "--module",
            "Leads",
            "--module",
            "Quotes",
            "--out",
            "pulled",
            "--base-url",
            emulator.url,
            cwd=work,
            **env(work),
        )
        everything = bwlint(
            "schema",
            "pull",
            "--all",
            "--out",
            "all",
            "--base-url",
            emulator.url,
            cwd=work,
            **env(work),
        )
    assert done.returncode == 0 and everything.returncode == 0, done.stderr
    pulled = work / "pulled"
    assert sorted(p.name for p in pulled.iterdir()) == [
        "Leads.json",
        "Leads.layouts.json",
        "Quotes.json",
        "Quotes.layouts.json",
        "modules.json",
    ]
    assert json.loads((pulled / "Leads.json").read_text())["fields"]
    layout = json.loads((pulled / "Leads.layouts.json").read_text())["layouts"][0]
    required = {f["api_name"] for s in layout["sections"] for f in s["fields"] if f["required"]}
    assert required == {"Last_Name", "Company"}
    modules = json.loads((pulled / "modules.json").read_text())["modules"]
    assert {"Leads", "Quoted_Items"} <= {m["api_name"] for m in modules}
    assert (work / "all" / "Vendors.layouts.json").is_file()
    check = bwlint("check", "--schema-dir", "pulled", "examples/leads/job.json", cwd=work)
    assert check.returncode == 0, check.stdout
    # check uses what was pulled: the layout's required Company, and the modules list
    (work / "no-company.csv").write_text("Last_Name,Email\nNovak,ana@bolt.example\n")
    (work / "vehicles.csv").write_text("Name\nVan\n")
    found = bwlint(
        "check", "--schema-dir", "pulled", "--module", "Leads", "no-company.csv", cwd=work
    )
    assert found.returncode == 1
    assert "BW171 [MANDATORY_FIELDS_NOT_MAPPED] field(s) required by the layout" in found.stdout
    unlisted = bwlint(
        "check", "--schema-dir", "pulled", "--module", "Vehicles", "vehicles.csv", cwd=work
    )
    assert "BW110 [MODULE_NOT_AVAILABLE] module 'Vehicles' is not in your org's modules list" in (
        unlisted.stdout
    )


def test_no_secret_or_token_in_any_output_file_or_journal(work: Path) -> None:
    granted: list[str] = []
    outputs: list[str] = []
    config = {
        "client_id": SECRETS["ZOHO_CLIENT_ID"],
        "client_secret": SECRETS["ZOHO_CLIENT_SECRET"],
        "refresh_token": SECRETS["ZOHO_REFRESH_TOKEN"],
    }
    with running(faults=["expire:status:1", "429:create:1"], **config) as emulator:
        grant = emulator.state.grant_token

        def recording(lifetime: float) -> str:
            granted.append(grant(lifetime))
            return granted[-1]

        emulator.state.grant_token = recording  # type: ignore[method-assign]
        url = emulator.url
        runs = [
            submit(work, url, "examples/leads/job.json", "--verbose"),
            submit(
                work,
                url,
                "examples/parent-child/job.json",
                "examples/parent-child/quotes.csv",
                "examples/parent-child/quoted_items.csv",
                "--verbose",
                "--no-wait",
            ),
        ]
        job_id = journal(work)[-1]["job_id"] or journal(work)[0]["job_id"]
        runs += [
            bwlint("status", job_id, "--verbose", cwd=work, **env(work)),
            bwlint("result", job_id, "--verbose", "--poll-interval", "0.05", cwd=work, **env(work)),
            bwlint(
                "schema",
                "pull",
                "--all",
                "--out",
                "pulled",
                "--verbose",
                "--base-url",
                url,
                cwd=work,
                **env(work),
            ),
            bwlint(
                "status",
                job_id,
                "--verbose",
                "--base-url",
                url,
                cwd=work,
                **{**env(work), "ZOHO_CLIENT_SECRET": SECRETS["ZOHO_CLIENT_SECRET"] + "x"},
            ),
        ]
        assert [r.returncode for r in runs] == [0, 0, 0, 0, 0, 2]
        assert "invalid_client" in runs[-1].stderr
    outputs += [r.stdout + r.stderr for r in runs]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bwlint",
            "emulate",
            "--client-secret",
            SECRETS["ZOHO_CLIENT_SECRET"],
        ],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    line = process.stdout.readline()
    emulated = line.rsplit(" ", 1)[1].strip()
    import httpx

    query = {
        "grant_type": "refresh_token",
        "client_id": SECRETS["ZOHO_CLIENT_ID"],
        "client_secret": SECRETS["ZOHO_CLIENT_SECRET"],
        "refresh_token": SECRETS["ZOHO_REFRESH_TOKEN"],
    }
    token = httpx.post(f"{emulated}/oauth/v2/token", params=query).json()["access_token"]
    granted.append(token)
    httpx.get(f"{emulated}/crm/v8/org", headers={"Authorization": f"Zoho-oauthtoken {token}"})
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=10)
    outputs.append(line + out + err)
    assert "POST /oauth/v2/token 200" in err
    files = [p.read_text(errors="replace") for p in work.rglob("*") if p.is_file()]
    assert len(granted) >= 3
    for secret in [*SECRETS.values()][1:] + granted:
        for text in outputs + files:
            assert secret not in text


def test_force_submits_loudly_and_module_jobs_are_submitted_too(work: Path) -> None:
    csv = work / "examples/leads/leads.csv"
    csv.write_text(csv.read_text().replace("ana@bolt.example", "ana@"))
    with running() as emulator:
        forced = submit(work, emulator.url, "examples/leads/job.json", "--force")
        plain = work / "plain.csv"
        plain.write_text("Last_Name,Company,Email\nDoe,Acme,doe@acme.example\n")
        module = submit(work, emulator.url, "--module", "Leads", "plain.csv")
        assert emulator.state.summary()["jobs"] == 2
    assert forced.returncode == 1
    assert "--force: SUBMITTING DESPITE 1 ERROR FINDING(S)" in forced.stderr
    assert "1 skipped of 3" in forced.stdout and "INVALID_DATA  Email" in forced.stdout
    assert "agree on all 3 records" in forced.stdout  # the emulator skips what bwlint predicts
    assert module.returncode == 0, module.stderr
    assert "Leads (Leads-plain.csv): 1 added" in module.stdout


def test_a_failed_job_exits_1(work: Path) -> None:
    job = work / "examples/parent-child/job.json"
    body = json.loads(job.read_text())
    body["resource"].reverse()  # the child first: BW601, which Zoho fails the job for
    job.write_text(json.dumps(body))
    folder = "examples/parent-child/"
    with running() as emulator:
        done = submit(
            work,
            emulator.url,
            str(job),
            folder + "quotes.csv",
            folder + "quoted_items.csv",
            "--force",
        )
        (entry,) = journal(work)
        result = bwlint("result", entry["job_id"], cwd=work, **env(work))
    assert done.returncode == 1, done.stderr
    assert f"job {entry['job_id']}: FAILED" in done.stdout and entry["step"] == "failed"
    assert result.returncode == 1
