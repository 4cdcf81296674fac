"""Reports written for people: workbooks, briefs, charts and maps."""
