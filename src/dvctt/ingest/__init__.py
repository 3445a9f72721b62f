"""Files analysts receive, read into campaign tables: formats, headers, numbers, unit names, rejects, saving."""
