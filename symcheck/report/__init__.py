"""Reports a reader takes away: a LaTeX/PDF report and a corrected document.

``latex`` renders the report, ``corrected`` the corrected copy, ``pdf`` runs TeX,
``store`` caches results as JSON, ``build`` writes the files; ``typeset``,
``mathsafe`` and ``texescape`` keep untrusted document text from breaking TeX.
"""
