"""Where a finding is: made once, where the finding is made; every reporter derives its
form from it (the JSON report's fields, `path:line:col` for text, SARIF regions, GitHub
annotations, JUnit testcases, the result preview's column order).
"""

from __future__ import annotations

from typing import NamedTuple

Anchor = tuple[str | None, int | None, int | None]


class Location(NamedTuple):
    """A place in a data file (a cell, a record, a line, a header cell, the file) or a
    value of the job JSON. A named tuple: immutable, hashable and cheap to build, as a
    file with 100,000s of findings needs."""

    file: str | None = None  # the data file as given; `<zip>/<member>` inside a zip
    zip: str | None = None  # the zip that holds `file`, when it is a member
    record: int | None = None  # 1-based data record (the header is not counted)
    line: int | None = None  # 1-based physical line (the record's first)
    column: str | None = None  # the CSV header of the cell
    column_number: int | None = None  # 1-based position of that column
    pointer: str | None = None  # RFC 6901 pointer into the job JSON
    job: str | None = None  # the job JSON the finding belongs to (None: --module)
    job_line: int | None = None  # where `pointer`'s value is in the job JSON
    job_column: int | None = None
    # The path a job-level finding is shown at: the job JSON, or with --module (no job
    # JSON) the data checked.
    origin: str | None = None

    @property
    def anchor(self) -> Anchor:
        """(path, line, column), 1-based, where an editor should point."""
        if self.file is None:
            if self.pointer is None:
                return (None, None, None)
            return (self.origin, self.job_line, self.job_column)
        line = self.line
        if line is None and self.column_number is not None:
            line = 1  # a header cell: on the header row
        return (self.file, line, self.column_number)

    @property
    def artifact(self) -> Anchor:
        """The anchor as a file on disk: a CSV inside a zip is located at the zip (no
        line or column: they would be the member's)."""
        if self.zip is not None and self.file is not None:
            return (self.zip, None, None)
        return self.anchor

    @property
    def subject(self) -> str | None:
        """What the finding is about, as a path: the data file, else the anchor's path."""
        return self.file or self.anchor[0]

    def in_job(self, job: str | None, origin: str | None) -> Location:
        """This location as part of a job's results (`job`, `origin` filled)."""
        return self._replace(job=job, origin=origin)
