"""What each report shows: report data, sections per report kind, charts, formatting, in vi or en."""
