"""Zoho's official Python SDK for API v8, unchanged, against `bwlint emulate`.

Run as `python tests/sdk_flow.py URL WORKDIR ZIP JOB_JSON`: initialise the SDK with an
environment whose API, accounts and upload URLs are the emulator's, upload the zip,
create a job from the job JSON, read its details until it completes, download its
result, read the Leads fields; print what it saw as one JSON object.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from zohocrmsdk.src.com.zoho.api.authenticator.oauth_token import OAuthToken
from zohocrmsdk.src.com.zoho.api.authenticator.store.file_store import FileStore
from zohocrmsdk.src.com.zoho.crm.api import HeaderMap, ParameterMap
from zohocrmsdk.src.com.zoho.crm.api.bulk_write import (
    BulkWriteOperations,
    BulkWriteResponse,
    FieldMapping,
    FileBodyWrapper,
    RequestWrapper,
    Resource,
    SuccessResponse,
    UploadFileHeader,
)
from zohocrmsdk.src.com.zoho.crm.api.dc.data_center import DataCenter
from zohocrmsdk.src.com.zoho.crm.api.fields import FieldsOperations, GetFieldsParam
from zohocrmsdk.src.com.zoho.crm.api.fields import ResponseWrapper as FieldsWrapper
from zohocrmsdk.src.com.zoho.crm.api.initializer import Initializer
from zohocrmsdk.src.com.zoho.crm.api.modules import MinifiedModule
from zohocrmsdk.src.com.zoho.crm.api.util import Choice, StreamWrapper


def main(url: str, work: Path, zip_path: Path, job_path: Path) -> dict:
    environment = DataCenter.Environment(url, f"{url}/oauth/v2/token", url)
    token = OAuthToken(
        client_id="sdk.client", client_secret="sdk-secret", refresh_token="1000.sdk.refresh"
    )
    Initializer.initialize(
        environment=environment,
        token=token,
        store=FileStore(str(work / "sdk_tokens.txt")),
        resource_path=str(work),
    )
    seen: dict = {}
    operations = BulkWriteOperations()

    # upload
    body = FileBodyWrapper()
    body.set_file(StreamWrapper(file_path=str(zip_path)))
    headers = HeaderMap()
    headers.add(UploadFileHeader.feature, "bulk-write")
    headers.add(UploadFileHeader.x_crm_org, seen.setdefault("zgid", _zgid(url, work)))
    response = operations.upload_file(body, headers)
    upload = response.get_object()
    seen["upload_status"] = response.get_status_code()
    seen["upload_type"] = type(upload).__name__
    file_id = str(upload.get_details()["file_id"])
    seen["file_id"] = file_id

    # create the job
    job = json.loads(job_path.read_text())
    request = RequestWrapper()
    request.set_operation(Choice(job["operation"]))
    resources = []
    for raw in job["resource"]:
        resource = Resource()
        resource.set_type(Choice("data"))
        module = MinifiedModule()
        module.set_api_name(raw["module"]["api_name"])
        resource.set_module(module)
        resource.set_file_id(file_id)
        mappings = []
        for entry in raw.get("field_mappings", []):
            mapping = FieldMapping()
            mapping.set_api_name(entry["api_name"])
            mapping.set_index(entry["index"])
            mappings.append(mapping)
        resource.set_field_mappings(mappings)
        resources.append(resource)
    request.set_resource(resources)
    response = operations.create_bulk_write_job(request)
    created = response.get_object()
    seen["create_status"] = response.get_status_code()
    seen["create_type"] = type(created).__name__
    job_id = str(created.get_details()["id"])
    seen["job_id"] = job_id

    # follow it
    statuses = []
    for _ in range(100):
        details = operations.get_bulk_write_job_details(job_id).get_object()
        assert isinstance(details, BulkWriteResponse), type(details).__name__
        statuses.append(details.get_status())
        if details.get_status() == "COMPLETED":
            break
        time.sleep(0.05)
    seen["statuses"] = statuses
    resource = details.get_resource()[0]
    seen["counts"] = {
        "added": resource.get_file().get_added_count(),
        "skipped": resource.get_file().get_skipped_count(),
        "total": resource.get_file().get_total_count(),
    }
    download_url = details.get_result().get_download_url()

    # download the result
    response = operations.download_bulk_write_result(download_url)
    wrapper = response.get_object()
    seen["download_type"] = type(wrapper).__name__
    stream = wrapper.get_file()
    seen["download_name"] = stream.get_name()
    target = work / "sdk-result.zip"
    with open(target, "wb") as handle:
        for chunk in stream.get_stream():
            handle.write(chunk)
    seen["download_path"] = str(target)

    # fields metadata
    params = ParameterMap()
    params.add(GetFieldsParam.module, "Leads")
    fields = FieldsOperations().get_fields(params).get_object()
    seen["fields_type"] = type(fields).__name__
    if isinstance(fields, FieldsWrapper):
        seen["field_names"] = [f.get_api_name() for f in fields.get_fields()]
    seen["success_type"] = SuccessResponse.__name__
    return seen


def _zgid(url: str, work: Path) -> str:
    """The org id as the SDK itself learnt it on initialisation (GET /crm/v8/org)."""
    from zohocrmsdk.src.com.zoho.crm.api.org import OrgOperations

    org = OrgOperations().get_organization().get_object()
    return str(org.get_org()[0].get_zgid())


if __name__ == "__main__":
    result = main(sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4]))
    print(json.dumps(result, default=str))
