"""marshmallow schemas: they parse requests and format responses, nothing else."""
