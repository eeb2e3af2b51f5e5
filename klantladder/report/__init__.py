"""The PDF and HTML report: templates, charts and the safe renderer."""
