"""The one error type of the annual-report engine."""

from __future__ import annotations

from xxgk.annual_report.raw import Location


class ReportReadError(Exception):
    """Input that cannot be read as an annual report.

    ``code`` is stable (tests and the CLI's JSON output use it); ``message`` is plain Chinese
    for people; ``location`` says where, when known. The CLI turns this into exit status 2.
    """

    def __init__(self, code: str, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.location = location

    def __str__(self) -> str:
        where = f"（{self.location.describe()}）" if self.location else ""
        return f"{self.message}{where}"
