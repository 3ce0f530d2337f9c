"""The planner's report: its charts and page."""
