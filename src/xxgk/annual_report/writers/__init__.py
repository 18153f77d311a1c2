"""Writers: each module ``xxgk.annual_report.writers.<kind>`` has ``render(report) -> bytes``."""
