"""The interface of the letters area for the workflow (engineer A's sign-off, views, tests).

::

    from xxgk.letters import api as letters

    letter = letters.draft_letter(case, "reply", actor=user)      # Letter (draft, editable)
    letters.update_letter(letter, actor=user, body="…")           # before sign-off only
    letters.letter_warnings(letter)                               # list[str], Chinese
    letters.issue_number(letter, actor=leader)                    # 文号 + files, immutable
    letters.render_docx(letter), letters.render_pdf(letter)       # bytes
    letters.remedy_clause(agency, "partial", date(2026, 3, 7))    # str
    letters.check_citations("partial", ["第三十七条", …])          # list[str]

Kinds: ``reply``, ``correction_notice``, ``extension_notice``, ``consultation_letter``,
``fee_notice``. See docs/letters.md.
"""

from __future__ import annotations

from xxgk.letters.citations import required_articles
from xxgk.letters.models import Letter, LetterKind, LetterStatus
from xxgk.letters.operations import (
    NOTICE_KINDS,
    advance_counter,
    case_values,
    check_citations,
    draft_letter,
    issue_notice,
    issue_number,
    letter_notes,
    letter_warnings,
    remedy_clause,
    render_docx,
    render_pdf,
    reset_template,
    save_template,
    settings_for,
    update_letter,
    update_settings,
    void_letter,
)

__all__ = [
    "NOTICE_KINDS",
    "Letter",
    "LetterKind",
    "LetterStatus",
    "advance_counter",
    "case_values",
    "check_citations",
    "draft_letter",
    "issue_notice",
    "issue_number",
    "letter_notes",
    "letter_warnings",
    "remedy_clause",
    "render_docx",
    "render_pdf",
    "required_articles",
    "reset_template",
    "save_template",
    "settings_for",
    "update_letter",
    "update_settings",
    "void_letter",
]
