"""Reader front ends: each module ``xxgk.annual_report.readers.<kind>`` has
``read_raw(data: bytes, *, source: str) -> RawDocument`` and raises
:class:`~xxgk.annual_report.errors.ReportReadError` on unusable input.
"""
