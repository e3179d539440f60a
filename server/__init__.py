"""The composition root: the one place that mounts the API and the web pages in one app."""
