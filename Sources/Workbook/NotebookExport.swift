// The lecture chapters write their pages with the Notebook module (Chapter, Notebook, Page,
// ChapterRunner). Re-exported, so that every chapter file and every client of Workbook sees it
// with `import Workbook` alone.
@_exported import Notebook
