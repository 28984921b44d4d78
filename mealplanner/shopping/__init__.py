"""The shopping list: `build` makes it from a plan (whole packages by aisle, split into trips),
`export` writes it as JSON, CSV, Markdown or a printable page (templates/shopping/)."""
