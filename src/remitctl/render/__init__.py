"""Renderers: results in, text out. `text` draws for people with rich; `json` for machines."""
