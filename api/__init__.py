"""The HTTP API: Flask blueprints and marshmallow schemas."""
