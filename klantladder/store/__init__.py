"""The data layer: every write of responses goes through here (docs/design/storage.md)."""
