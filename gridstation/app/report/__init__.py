"""Printable reports of the client: the weekly review (周报) as a multi-page A4 PDF.

``weekly.paint_weekly(device, data)`` paints a :class:`gridstation.report.weekly.WeeklyReview` onto
any paged paint device (``QPdfWriter`` for files and the command line, ``QPrinter`` for print
and print preview); ``preview.WeeklyPreview`` wraps it in a ``QPrintPreviewDialog``.
"""

from gridstation.app.report.weekly import cjk_font_family, load_weekly, paint_weekly, write_weekly_pdf

__all__ = ["cjk_font_family", "load_weekly", "paint_weekly", "write_weekly_pdf"]
