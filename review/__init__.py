"""The quarterly roadmap review: metrics (selectors), frozen snapshots (services, tasks),
charts, CSV export and the calendar feed."""
