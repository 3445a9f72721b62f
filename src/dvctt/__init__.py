"""dvctt: measure online public services campaigns (dịch vụ công trực tuyến) and publish HTML reports."""

# The one place the version is written (pyproject.toml reads it): every dvctt process, and every report kernel,
# would otherwise load importlib.metadata to look it up, 0.05 s each.
__version__ = "0.1.0"
