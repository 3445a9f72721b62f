"""Papermill + nbconvert publishing: execution, conversion, sharing checks, workbook, index, batches.

Importing this package keeps jsonschema from loading ``rfc3987_syntax``: nbformat's schema checks import
jsonschema, whose optional IRI-format checker builds a grammar when imported (2 of the 2.3 seconds nbformat
takes to import, paid by every ``dvctt report``). No notebook field is an IRI, so nothing is lost. A process that
imported jsonschema before this package keeps the checker.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]  # None: "import rfc3987_syntax" fails
