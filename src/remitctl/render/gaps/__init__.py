"""The gap report in every format: table and heat map, JSON, CSV, Markdown, iCalendar."""
