"""Readers of the service index's file formats, one module per format."""
