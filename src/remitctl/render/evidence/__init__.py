"""The evidence report's formats: table (rich), json, csv (a row per incident), markdown,
and html (the meeting pack)."""
